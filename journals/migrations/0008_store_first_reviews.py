from django.db import migrations

from journals.reviews import store_first_reviews


def store(apps, schema_editor):
    """Store each submitted entry's first review after its submission, in one UPDATE."""
    JournalEntry = apps.get_model("journals", "JournalEntry")
    Review = apps.get_model("journals", "Review")
    store_first_reviews(JournalEntry.objects.filter(submitted_at__isnull=False), Review)


class Migration(migrations.Migration):
    dependencies = [
        ("journals", "0007_first_review"),
    ]

    operations = [
        migrations.RunPython(store, migrations.RunPython.noop),
    ]
