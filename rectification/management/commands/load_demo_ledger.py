from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Take the demo campaign (load_demo and load_demo_opinions first) on to the "
        "rectification phase with a ledger for the first unit (DEBUG only)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        from appraisal.models import Campaign
        from rectification.ledger.demo import (
            FEEDBACK_DEPUTY,
            feedback_receipt_code,
            load_demo_ledger,
        )

        try:
            campaign = load_demo_ledger()
        except (RuntimeError, Campaign.DoesNotExist) as e:
            raise CommandError(f"{e} (run load_demo and load_demo_opinions first)") from None
        self.stdout.write(
            self.style.SUCCESS(f"{campaign.title}: phase {campaign.get_phase_display()}")
        )
        code = feedback_receipt_code()
        self.stdout.write(
            f"Feedback: {FEEDBACK_DEPUTY} follows the rectification of a problem they raised "
            "on /deputy/ (and a closure notice under 提醒); the public follows theirs at "
            f"/opinion/status/ with the receipt code {code or '(none)'}."
        )
