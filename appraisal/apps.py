from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalConfig(AppConfig):
    name = "appraisal"
    verbose_name = _("Work appraisal")

    def ready(self) -> None:
        from appraisal import stages

        stages.register_builtin()
