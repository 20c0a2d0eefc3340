from django.core.management.base import BaseCommand

from circles.demo import seed_circles_demo, seed_invitation_demo
from community.demo import DEMO_LOGINS


class Command(BaseCommand):
    help = "Open a demo round of learning circles with imported sign-ups, composed. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--time-limit", type=float, default=8.0, help="seconds to compose")

    def handle(self, *args, time_limit, **options):
        link = seed_invitation_demo(
            member_email=DEMO_LOGINS["member"], organizer_email=DEMO_LOGINS["organizer"]
        )
        if link:
            self.stdout.write(f"The demo member's circle invitation: {link}")
        round = seed_circles_demo(organizer_email=DEMO_LOGINS["organizer"], time_limit=time_limit)
        if round is None:
            self.stdout.write("Demo circles already there.")
            return
        self.stdout.write(
            f"Demo circles ready: {round.signups.count()} sign-ups in “{round.name}”, "
            f"{round.circles.count()} circles proposed (organizers: /organize/circles/)."
        )
