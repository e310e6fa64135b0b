from django.db import migrations, models

from journals.tallies import add_counts, entry_rows, meeting_rows


def count_meetings_and_entries(apps, schema_editor):
    """Add the meetings and journal entries written before the tallies counted them
    (the messages are already there)."""
    tally_model = apps.get_model("journals", "ActivityTally")
    for rows, name in ((meeting_rows, "Meeting"), (entry_rows, "JournalEntry")):
        add_counts(rows(apps.get_model("journals", name).objects.order_by()), tally_model)


def forget_meetings_and_entries(apps, schema_editor):
    columns = ["meetings_proposed", "meetings_held", "entries_submitted", "entry_minutes"]
    tally_model = apps.get_model("journals", "ActivityTally")
    tally_model.objects.update(**dict.fromkeys([*columns, "entries_reviewed"], 0))
    tally_model.objects.filter(messages=0).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("journals", "0008_store_first_reviews"),
    ]

    operations = [
        migrations.RenameModel("MessageTally", "ActivityTally"),
        migrations.AddField(
            model_name="activitytally",
            name="meetings_proposed",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="activitytally",
            name="meetings_held",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="activitytally",
            name="entries_submitted",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="activitytally",
            name="entry_minutes",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="activitytally",
            name="entries_reviewed",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(count_meetings_and_entries, forget_meetings_and_entries),
    ]
