from django.db import migrations

from journals.hours import pair_minutes


def store_pair_minutes(apps, schema_editor):
    """Store every match's mentoring minutes, computed by the database in one statement."""
    Match = apps.get_model("matching", "Match")
    JournalEntry = apps.get_model("journals", "JournalEntry")
    Meeting = apps.get_model("journals", "Meeting")
    Match.objects.update(minutes_logged=pair_minutes(JournalEntry, Meeting))


class Migration(migrations.Migration):
    dependencies = [
        ("journals", "0005_count_messages"),
        ("matching", "0005_minutes_logged"),
    ]

    operations = [
        migrations.RunPython(store_pair_minutes, migrations.RunPython.noop),
    ]
