from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    """django-axes under a Chinese name in the admin (it ships no Chinese catalogue; its
    strings are translated in ours)."""

    verbose_name = _("Sign-in protection")
