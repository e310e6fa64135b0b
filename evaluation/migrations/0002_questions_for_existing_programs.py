"""Give the programs created before surveys existed their built-in survey questions, as
new programs get them when they are created."""

from django.db import migrations


def add_builtin_questions(apps, schema_editor):
    from evaluation import defaults

    Program = apps.get_model("programs", "Program")
    SurveyQuestion = apps.get_model("evaluation", "SurveyQuestion")
    without = Program.objects.exclude(
        pk__in=SurveyQuestion.objects.values_list("program_id", flat=True)
    )
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(
            program=program,
            kind=kind,
            position=position,
            **{name: str(value) if name == "text" else value for name, value in question.items()},
        )
        for program in without
        for kind in ("midpoint", "end")
        for position, question in enumerate(defaults.questions(kind))
    )


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial"), ("programs", "0006_clock_settings")]

    operations = [migrations.RunPython(add_builtin_questions, migrations.RunPython.noop)]
