from django.db import migrations

from journals.tallies import add_counts, message_rows


def count_messages(apps, schema_editor):
    """Tally the messages written before tallies existed (in chunks, on any database)."""
    Message = apps.get_model("journals", "Message")
    MessageTally = apps.get_model("journals", "MessageTally")
    MessageTally.objects.all().delete()
    add_counts(message_rows(Message.objects.order_by()), MessageTally)


def forget_tallies(apps, schema_editor):
    apps.get_model("journals", "MessageTally").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("journals", "0004_message_tallies"),
    ]

    operations = [
        migrations.RunPython(count_messages, forget_tallies),
    ]
