"""Report, per document role, which font file prints it and what it cannot print."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from appraisal.documents import fonts
from appraisal.documents.checks import report


class Command(BaseCommand):
    help = "Which font prints each role of the documents, and whether it covers the data."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--no-data", action="store_true", help="Check the sample only, not the database."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        roles, bad_data = report(with_data=not options["no_data"])
        failed = False
        for r in roles:
            origin = "licensed/configured" if r.licensed else "open fallback"
            self.stdout.write(f"{r.role:9} {r.label}: {r.family or '—'} ({origin})")
            self.stdout.write(f"          file: {r.file or 'NOT INSTALLED'}")
            if r.family is None:
                failed = True
            if r.missing_sample:
                self.stdout.write(
                    f"          its font lacks {''.join(r.missing_sample)}; "
                    "a fallback font prints them"
                )
        fallback = [(f, fonts.family_file(f)) for f in fonts.FALLBACK]
        self.stdout.write(
            "rare characters: "
            + ", ".join(f"{f} ({path or 'NOT INSTALLED'})" for f, path in fallback)
        )
        gone = fonts.missing(fonts.SAMPLE + fonts.RARE_SAMPLE)
        if gone:
            failed = True
            self.stdout.write(f"sample: NOT PRINTABLE {' '.join(gone)}")
        else:
            self.stdout.write(f"sample: every character prints ({fonts.RARE_SAMPLE} included)")
        for where, ch in bad_data:
            failed = True
            self.stdout.write(f"data: “{ch}” (U+{ord(ch):04X}) in {where} cannot be printed")
        if not bad_data and not options["no_data"]:
            self.stdout.write("data: every character of the current data prints")
        if failed:
            raise CommandError("Some text cannot be printed; see above.")
