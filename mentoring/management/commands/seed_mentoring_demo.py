from django.core.management.base import BaseCommand

from mentoring.demo import seed_mentoring_demo


class Command(BaseCommand):
    help = "Give the demo coaches profiles, topics, weekly availability and mentoring groups. Idempotent."

    def handle(self, *args, **options):
        profiles = seed_mentoring_demo()
        self.stdout.write(
            f"Demo coaching ready: {len(profiles)} coaches with open times (members: /coaching/) "
            "and mentoring groups (/coaching/groups/)."
        )
