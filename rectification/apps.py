from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    name = "rectification"
    verbose_name = _("Rectification")

    def ready(self) -> None:
        from appraisal import stages
        from rectification.ledger.selectors import ledger_stage
        from rectification.opinions.selectors import opinion_stage

        stages.register(
            stages.Stage(
                "opinion", _("Appraisal opinion"), opinion_stage, order=50, due_by="opinions"
            )
        )
        stages.register(stages.Stage("ledger", _("Rectification ledger"), ledger_stage, order=60))

        from appraisal import homes
        from rectification.homes import unit_panels, work_group_panels

        homes.register("work_group", work_group_panels, order=40)
        homes.register("unit", unit_panels, order=40)
        from rectification.opinions.selectors import campaign_links, deputy_links

        stages.register_links("campaign", campaign_links, order=60)
        stages.register_links("deputy", deputy_links, order=60)

        from rectification.ledger import homes as ledger_homes

        homes.register("work_group", ledger_homes.work_group_panels, order=45)
        homes.register("unit", ledger_homes.unit_panels, order=45)

        from rectification.publication.selectors import publication_links

        stages.register_links("appraisal", publication_links, order=70)
        from rectification.feedback import selectors as feedback_selectors
        from surveys import feedback

        feedback.register(feedback_selectors.progress_lines)
        homes.register_deputy(feedback_selectors.deputy_sections, order=10)
        from rectification.reports import homes as report_homes
        from rectification.reports import selectors as reports

        stages.register(
            stages.Stage(
                "rectification_report",
                _("Rectification report"),
                reports.report_stage,
                order=65,
                due_by="rectification",
            )
        )
        stages.register_links("appraisal", reports.appraisal_links, order=70)
        stages.register_round_prerequisite(reports.round_prerequisites)
        stages.register_ballot_links(reports.ballot_links)
        homes.register("work_group", report_homes.work_group_panels, order=47)
        homes.register("unit", report_homes.unit_panels, order=47)
