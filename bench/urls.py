from django.urls import path

from bench.floor import floor
from config.urls import urlpatterns as app_urlpatterns

urlpatterns = [*app_urlpatterns, path("bench/floor/", floor)]
