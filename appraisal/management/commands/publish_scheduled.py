from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from appraisal.announcements.services import announcements_publish_due


class Command(BaseCommand):
    help = (
        "Publish the scheduled announcements whose time has come. Run it from cron every "
        "minute; a second run, or two at once, publishes nothing twice."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        published = announcements_publish_due()
        now = timezone.localtime()
        for a in published:
            self.stdout.write(f"{now:%Y-%m-%d %H:%M} published: {a.title}")
        if options["verbosity"] > 1 and not published:
            self.stdout.write(f"{now:%Y-%m-%d %H:%M} nothing due")
