from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalConfig(AppConfig):
    name = "appraisal"
    verbose_name = _("Work appraisal")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from appraisal import stages
        from appraisal.documents import checks  # noqa: F401  (registers the font check)
        from appraisal.scoring.selectors import scoring_stage
        from appraisal.selfreview.selectors import self_review_stage
        from appraisal.services import office_group_sync

        stages.register_builtin()
        stages.register(
            stages.Stage(
                "scoring", _("Scoring (round: verdict)"), scoring_stage, order=40, due_by="meeting"
            )
        )
        from appraisal.announcements.selectors import campaign_links as announcement_links

        stages.register_links("campaign", announcement_links, order=5)
        stages.register(
            stages.Stage(
                "self_review", _("Self-review"), self_review_stage, order=30, due_by="self_review"
            )
        )
        from appraisal.schedule import selectors as schedule

        stages.register_links("appraisal", schedule.appraisal_links, order=15)
        # Permissions exist only after migrate; keep the office's group in step with them.
        post_migrate.connect(office_group_sync, dispatch_uid="pingyi-office-group")
