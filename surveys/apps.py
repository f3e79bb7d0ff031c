from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Investigation")

    def ready(self) -> None:
        from appraisal import stages
        from surveys.findings import selectors as findings
        from surveys.questionnaires import selectors as questionnaires

        stages.register(
            stages.Stage(
                "investigation",
                _("Findings"),
                findings.investigation_stage,
                order=20,
                due_by="investigation",
            )
        )
        stages.register_links("appraisal", findings.activity_links, order=20)
        stages.register_links("appraisal", questionnaires.appraisal_survey_links, order=25)
        stages.register_links("appraisal", findings.finding_links, order=30)
        stages.register_links("campaign", questionnaires.campaign_survey_links, order=30)
        stages.register_links("deputy", questionnaires.deputy_survey_links, order=20)
        from surveys.reports.selectors import deputy_signoff_links

        # What waits for a deputy's signature is open for them, beside ballots and surveys.
        stages.register_links("deputy", deputy_signoff_links, order=25)
        from surveys.reports.selectors import packet_links

        stages.register_links("appraisal", packet_links, order=35)
        from appraisal.selfreview import snapshots
        from surveys.answers.selectors import answers_missing, answers_snapshot
        from surveys.reports.selectors import report_stage

        snapshots.register("finding_answers", answers_snapshot, missing=answers_missing)
        stages.register(
            stages.Stage(
                "report", _("Investigation report"), report_stage, order=35, due_by="self_review"
            )
        )

        from appraisal.schedule import hooks

        hooks.register_event_links(findings.event_activity_links)

        from appraisal import homes
        from surveys.homes import unit_panels, work_group_panels

        homes.register("work_group", work_group_panels, order=20)
        homes.register("unit", unit_panels, order=20)
        homes.register_deputy(findings.deputy_sections, order=30)
