"""Print a program's figures, as the dashboard shows them, for a report or a script."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from evaluation.kpis import program_figures
from programs.commands import find_program
from programs.models import Cycle

SECTIONS = ("recruitment", "matching", "activity", "hours", "outcomes")


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD).") from None


class Command(BaseCommand):
    help = (
        "Print a program's figures (recruitment, matching, activity, hours, outcomes) "
        "with their targets, under the names the dashboard uses. Read-only."
    )

    def add_arguments(self, parser):
        parser.add_argument("program", help="The program's code (a UUID) or its exact name.")
        parser.add_argument("--cycle", metavar="NAME", help="Only this cycle (its name).")
        parser.add_argument("--since", metavar="YYYY-MM-DD", help="From this day on.")
        parser.add_argument("--until", metavar="YYYY-MM-DD", help="Up to this day, included.")
        parser.add_argument("--json", action="store_true", help="Print JSON instead of text.")

    def handle(self, *args, **options):
        program = find_program(options["program"])
        cycle = None
        if options["cycle"] is not None:
            cycle = Cycle.objects.filter(program=program, name=options["cycle"]).first()
            if cycle is None:
                known = ", ".join(
                    repr(name) for name in program.cycles.values_list("name", flat=True)
                )
                raise CommandError(
                    f"Program {program.name!r} has no cycle named {options['cycle']!r} "
                    f"(its cycles: {known or 'none'})."
                )
        since = _day(options["since"]) if options["since"] else None
        until = _day(options["until"]) if options["until"] else None
        figures = program_figures(program, cycle=cycle, since=since, until=until)
        if options["json"]:
            self.stdout.write(json.dumps(figures, indent=2))
        else:
            self.summarise(figures)

    def summarise(self, figures: dict) -> None:
        title = figures["program"]
        if figures["cycle"]:
            title += f", {figures['cycle']}"
        if figures["since"] or figures["until"]:
            title += f" ({figures['since'] or '…'} to {figures['until'] or '…'})"
        self.stdout.write(title)
        for section in SECTIONS:
            self.stdout.write(f"\n{section}")
            for name, value in figures[section].items():
                self.write_figure(name, value, indent=2)

    def write_figure(self, name: str, value, indent: int) -> None:
        pad = " " * indent
        if isinstance(value, dict) and "value" in value:
            extras = ", ".join(f"{key} {item}" for key, item in value.items() if key != "value")
            self.stdout.write(
                f"{pad}{name}: {self.shown(value['value'])}" + (f" ({extras})" if extras else "")
            )
        elif isinstance(value, dict):
            self.stdout.write(f"{pad}{name}:")
            for key, item in value.items():
                self.write_figure(key, item, indent + 2)
        elif isinstance(value, list):
            self.stdout.write(f"{pad}{name}:" + ("" if value else " none"))
            for row in value:
                self.stdout.write(
                    f"{pad}  " + ", ".join(f"{k} {self.shown(v)}" for k, v in row.items())
                )
        else:
            self.stdout.write(f"{pad}{name}: {self.shown(value)}")

    @staticmethod
    def shown(value) -> str:
        return "–" if value is None else str(value)
