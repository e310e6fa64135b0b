from django.core.management.base import BaseCommand

from mentorship_site.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Create or refresh the demo data (safe to run again) and print the demo log-ins."

    def handle(self, *args, **options):
        people = seed_demo()
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in with any of these:"))
        width = max(len(person.email) for person in people)
        for person in people:
            self.stdout.write(f"  {person.email.ljust(width)}  {person.role}")
        self.stdout.write(f"Password for all of them: {DEMO_PASSWORD}")
