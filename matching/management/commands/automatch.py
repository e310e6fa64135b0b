"""Compute a cycle's auto-match from the command line, to inspect or export it."""

import json
import uuid
from pathlib import Path

import numpy as np
from django.core.management.base import BaseCommand, CommandError

from matching.automatch import compute_outcome
from programs.commands import find_program
from programs.models import Cycle, Program


class Command(BaseCommand):
    help = (
        "Compute the auto-match of a program's cycle and print its figures and pairs. "
        "Read-only: it creates no run and sends no proposal (start a run from the "
        "coordinator's auto-match page for that). --export-scores writes the arrays "
        "behind it as NumPy files."
    )

    def add_arguments(self, parser):
        parser.add_argument("program", help="The program's code (a UUID) or its exact name.")
        parser.add_argument(
            "--cycle",
            metavar="NAME",
            help="The cycle's name (default: the cycle open for matching, or the only one).",
        )
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a summary.")
        parser.add_argument(
            "--export-scores",
            metavar="DIR",
            help=(
                "Write scores.npy (mentees × mentors, float32, -inf where a hard rule forbids "
                "the pair), capacity.npy (free places per mentor), assignment.npy (the mentor "
                "column of each mentee, -1 when unmatched), and mentees.json / mentors.json "
                "(participant codes in row and column order) into DIR."
            ),
        )

    def handle(self, *args, **options):
        program = find_program(options["program"])
        cycle = self.find_cycle(program, options["cycle"])
        outcome = compute_outcome(program, cycle.pk if cycle else None)
        if options["export_scores"]:
            self.export(outcome, Path(options["export_scores"]))
        report = {
            "program": program.name,
            "program_code": str(program.code),
            "cycle": cycle.name if cycle else None,
            **outcome.figures,
            "pairs": [
                {
                    "mentee": str(outcome.mentees[i].code),
                    "mentor": str(outcome.mentors[int(j)].code),
                    "score": round(float(outcome.scores[i, j]), 2),
                }
                for i, j in enumerate(outcome.assignment)
                if j >= 0
            ],
        }
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2))
        else:
            self.summarise(report, outcome)

    def find_cycle(self, program: Program, name: str | None) -> Cycle | None:
        cycles = list(Cycle.objects.filter(program=program).order_by("-starts_on", "-pk"))
        if name is not None:
            chosen = [cycle for cycle in cycles if cycle.name == name]
            if not chosen:
                known = ", ".join(repr(cycle.name) for cycle in cycles) or "none"
                raise CommandError(
                    f"Program {program.name!r} has no cycle named {name!r} (its cycles: {known})."
                )
            return chosen[0]
        if not cycles:
            return None
        open_now = [cycle for cycle in cycles if cycle.matching_is_open()]
        if open_now:
            return open_now[0]
        if len(cycles) == 1:
            return cycles[0]
        known = ", ".join(repr(cycle.name) for cycle in cycles)
        raise CommandError(
            f"No cycle of {program.name!r} is open for matching: choose one with --cycle ({known})."
        )

    def export(self, outcome, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        np.save(directory / "scores.npy", outcome.scores)
        np.save(directory / "capacity.npy", np.asarray(outcome.capacity, dtype=np.int64))
        np.save(directory / "assignment.npy", np.asarray(outcome.assignment, dtype=np.int64))
        for name, people in (("mentees", outcome.mentees), ("mentors", outcome.mentors)):
            codes = [str(person.code) for person in people]
            (directory / f"{name}.json").write_text(json.dumps(codes, indent=1))
        self.stderr.write(f"Arrays written to {directory}.")

    def summarise(self, report: dict, outcome) -> None:
        names = {p.code: p.user.display_name for p in [*outcome.mentees, *outcome.mentors]}
        write = self.stdout.write
        write(
            f"Auto-match of {report['program']}"
            + (f", {report['cycle']}" if report["cycle"] else "")
        )
        write("(read-only: nothing was saved or sent)")
        write(
            f"  {report['mentees']} mentees, {report['mentors']} mentors, {report['places']} places"
        )
        write(
            f"  matched:             {report['matched']} (first-come: {report['greedy_matched']})"
        )
        write(
            f"  total score:         {report['total_score']} "
            f"(first-come: {report['greedy_total_score']}, "
            f"gain {report['gain_over_greedy_pct']}%)"
        )
        write(f"  10th percentile:     {report['p10_score']}")
        write(f"  worst-off score:     {report['worst_score']}")
        write(f"  in a blocking pair:  {report['blocking_pair_share']}")
        for pair in report["pairs"]:
            mentee = names.get(uuid.UUID(pair["mentee"]), pair["mentee"])
            mentor = names.get(uuid.UUID(pair["mentor"]), pair["mentor"])
            write(f"  {mentee} → {mentor}: {pair['score']}")
