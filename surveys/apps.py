from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Investigation")

    def ready(self) -> None:
        from appraisal import stages
        from appraisal.selfreview import snapshots
        from surveys.answers.selectors import answers_snapshot
        from surveys.findings.selectors import investigation_stage
        from surveys.reports.selectors import report_stage

        stages.register(stages.Stage("investigation", _("Findings"), investigation_stage, order=20))
        snapshots.register("finding_answers", answers_snapshot)
        stages.register(stages.Stage("report", _("Investigation report"), report_stage, order=35))

        from appraisal import homes
        from surveys.homes import unit_panels, work_group_panels

        homes.register("work_group", work_group_panels, order=20)
        homes.register("unit", unit_panels, order=20)
