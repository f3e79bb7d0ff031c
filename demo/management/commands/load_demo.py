from typing import Any

from django.core.management.base import BaseCommand, CommandError

from demo.campaign import DEMO_LOGINS, DEMO_PASSWORD, DemoRefused, load_demo


class Command(BaseCommand):
    help = "Load the demo campaign (DEBUG only) and print one login per role."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            campaign, created = load_demo()
        except DemoRefused as e:
            raise CommandError(str(e)) from None
        verb = "Loaded" if created else "Already loaded"
        self.stdout.write(self.style.SUCCESS(f"{verb}: {campaign.title}"))
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for username, role in DEMO_LOGINS:
            self.stdout.write(f"  {username:<10} {role}")
        self.stdout.write(
            "  (also office2, group2–group4, unit3–unit4, unit1head, deputy2–deputy81)"
        )
