from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Take the demo campaign (load_demo first) on to the opinions phase with a self-review, "
        "an investigation report and an issued opinion for the first unit (DEBUG only)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        from appraisal.models import Campaign
        from rectification.demo import load_demo_opinions

        try:
            campaign = load_demo_opinions()
        except (RuntimeError, Campaign.DoesNotExist) as e:
            raise CommandError(f"{e} (run load_demo first, with DEBUG on)") from None
        self.stdout.write(
            self.style.SUCCESS(f"{campaign.title}: phase {campaign.get_phase_display()}")
        )
