from django.core.management.base import BaseCommand

from community.demo import DEMO_LOGINS, DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Load the demo community (members, waiting applications, coaches, editors). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=200)
        parser.add_argument("--waiting", type=int, default=24)

    def handle(self, *args, members, waiting, **options):
        result = seed_demo(members=members, waiting=waiting)
        self.stdout.write(
            f"Demo data ready: {result['members']} new members, {result['waiting']} new applications."
        )
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
        for role, email in DEMO_LOGINS.items():
            self.stdout.write(f"  {role:<10} {email}")
        self.stdout.write(
            "  The organizer signs in with a two-factor code too: run "
            "`.venv/bin/python manage.py demo_code` to get the current one."
        )
