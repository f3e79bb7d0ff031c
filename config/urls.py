from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

import appraisal.converters  # noqa: F401  (registers <id:…>, <code:…>, <token:…>)
from portal import views as portal_views

admin.site.site_header = _("Pingyi · Work appraisal administration")
admin.site.site_title = _("Pingyi administration")
admin.site.index_title = _("Leading-group office")

urlpatterns = [
    path("", portal_views.root, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("appraisal.urls")),
    path("", include("surveys.urls")),
    path("", include("rectification.urls")),
    path("", include("portal.urls")),
]
