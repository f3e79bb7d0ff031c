from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.campaign import DEMO_LOGINS, DEMO_PASSWORD, DemoRefused, load_demo

# How far the demo campaign goes, and the loader that takes it there after ``load_demo``.
STAGES = {
    "investigation": [],
    "opinions": ["load_demo_opinions"],
    "rectification": ["load_demo_opinions", "load_demo_ledger"],
}


class Command(BaseCommand):
    help = "Load the demo campaign (DEBUG only) and print one login per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--through",
            choices=list(STAGES),
            default="investigation",
            help="how far the demo campaign goes (make run: rectification)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            campaign, created = load_demo()
        except DemoRefused as e:
            raise CommandError(str(e)) from None
        verb = "Loaded" if created else "Already loaded"
        self.stdout.write(self.style.SUCCESS(f"{verb}: {campaign.title}"))
        for command in STAGES[options["through"]]:
            call_command(command, stdout=self.stdout)
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for username, role in DEMO_LOGINS:
            self.stdout.write(f"  {username:<10} {role}")
        self.stdout.write(
            "  (also office2, group2–group4, unit3–unit4, unit1head, deputy2–deputy81)"
        )
