"""Mail today's ledger reminders. Cron-able and safe to run twice: a second run on the
same day sends nothing new (see ``rectification.ledger.reminders``)."""

from __future__ import annotations

from argparse import ArgumentTypeError
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from rectification.ledger.reminders import send_reminders


def as_of(value: str) -> date:
    """A day of this century: the reminders look weeks ahead and back from it."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None
    if not 2000 <= day.year <= 2099:
        raise ArgumentTypeError(f"a day between 2000 and 2099, not {value!r}")
    return day


class Command(BaseCommand):
    help = "Remind liaisons of approaching and passed deadlines and work groups of items to check."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=as_of, help="As of this day (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        outcome = send_reminders(today=options["date"])
        self.stdout.write(
            f"reminders created={outcome.created} mailed={outcome.mailed} "
            f"messages={outcome.messages} digests={outcome.digests} "
            f"closure_notices={outcome.notices}"
        )
