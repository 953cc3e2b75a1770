"""Print every indicator for a period: `manage.py indicators --period 2025-26-H1 --format json`.

Raw figures, for analysts and tests inside the partnership: nothing here is disclosure
controlled, so do not publish this output; committee PDFs are. A closed period prints its
stored figures (as at close); `--rematerialise --as <username> --reason "..."` computes them
again from the records as they are now, audited (performance.services).
"""

import csv
import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from partnership.periods import current_period, period_from_code
from performance.services import indicators_rematerialise
from performance.stored import indicators_for_period


class Command(BaseCommand):
    help = "Print the NWG indicators N1-N16 for a reporting period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", help="e.g. 2025-26-H1 (default: the current period)")
        parser.add_argument("--format", choices=["json", "csv", "table"], default="table")
        parser.add_argument(
            "--rematerialise",
            action="store_true",
            help="compute a closed period's stored figures again (needs --as and --reason)",
        )
        parser.add_argument("--as", dest="username", help="who does it (VAP chair or analyst)")
        parser.add_argument("--reason", default="", help="why (recorded in the access log)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = period_from_code(options["period"]) if options["period"] else current_period()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if options["rematerialise"]:
            actor = get_user_model().objects.filter(username=options["username"] or "").first()
            if actor is None:
                raise CommandError("Name the user who re-materialises with --as <username>.")
            try:
                changed = indicators_rematerialise(
                    actor=actor, period=period, reason=options["reason"]
                )
            except (PermissionDenied, ValidationError) as exc:
                raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
            self.stderr.write(f"{period.code}: stored again, {changed} figures changed.")
        results = indicators_for_period(period)
        fmt = options["format"]
        if fmt == "json":
            payload = {
                "period": period.code,
                "label": period.label,
                "indicators": [r.as_dict() for r in results],
            }
            self.stdout.write(json.dumps(payload, indent=2))
        elif fmt == "csv":
            writer = csv.writer(self.stdout)
            writer.writerow(["period", "indicator", "version", "measure", "kind", "value"])
            for r in results:
                for f in r.figures:
                    writer.writerow([period.code, r.id, r.version, f.key, f.kind, f.value])
                for t in r.tables:
                    for label, n in t.rows:
                        writer.writerow(
                            [period.code, r.id, r.version, f"{t.key}:{label}", "count", n]
                        )
        else:
            self.stdout.write(f"{period.code}  {period.label}")
            for r in results:
                self.stdout.write(f"\n{r.id}  {r.title}  (v{r.version})")
                for f in r.figures:
                    value = "–" if f.value is None else f.value
                    suffix = "%" if f.kind == "percent" and f.value is not None else ""
                    self.stdout.write(f"    {f.label:<58} {value}{suffix}")
