from io import StringIO

from django.core.management import call_command


def test_no_model_change_lacks_a_migration(db):
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)


def test_every_migration_can_be_reversed_to_zero_and_applied_again(transactional_db):
    call_command("migrate", "accounts", "zero", verbosity=0)
    call_command("migrate", verbosity=0)
