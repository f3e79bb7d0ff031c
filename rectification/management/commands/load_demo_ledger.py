from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Take the demo campaign (load_demo and load_demo_opinions first) on to the "
        "rectification phase with a ledger for the first unit (DEBUG only)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        from appraisal.models import Campaign
        from rectification.ledger.demo import load_demo_ledger

        try:
            campaign = load_demo_ledger()
        except (RuntimeError, Campaign.DoesNotExist) as e:
            raise CommandError(f"{e} (run load_demo and load_demo_opinions first)") from None
        self.stdout.write(
            self.style.SUCCESS(f"{campaign.title}: phase {campaign.get_phase_display()}")
        )
