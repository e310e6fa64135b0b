from django.db import migrations, models
from django.db.models import F, Value
from django.db.models.functions import Replace

# The notices whose occasion was a meeting's "seq-" sequence and is now its "time-".
KINDS = ["meeting_reminder", "agenda_nudge"]


def count_from_sequence(apps, schema_editor):
    """Start each meeting's count of moves at its sequence, and rename the occasions of
    the reminders already sent to match: the current time's reminders stay sent, and
    the next move is a new occasion."""
    Meeting = apps.get_model("journals", "Meeting")
    Notification = apps.get_model("notifications", "Notification")
    Meeting.objects.update(time_changes=F("sequence"))
    Notification.objects.filter(
        kind__in=KINDS, about_type="journals.meeting", occasion__startswith="seq-"
    ).update(occasion=Replace(F("occasion"), Value("seq-"), Value("time-")))


def back_to_sequence(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    Notification.objects.filter(
        kind__in=KINDS, about_type="journals.meeting", occasion__startswith="time-"
    ).update(occasion=Replace(F("occasion"), Value("time-"), Value("seq-")))


class Migration(migrations.Migration):
    dependencies = [
        ("journals", "0009_activity_tallies"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="time_changes",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(count_from_sequence, back_to_sequence),
    ]
