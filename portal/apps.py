from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Public portal")

    def ready(self) -> None:
        from django.urls import reverse

        from appraisal.announcements import documents

        # A notice without a link of its own: its poster's QR code leads to its portal page.
        documents.register_public_path(lambda a: reverse("portal:notice", args=[a.pk]))
