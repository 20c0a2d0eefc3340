from django.core.management.base import BaseCommand

from circles.demo import seed_circles_demo, seed_invitation_demo
from circles.demo_running import seed_running_demo
from community.demo import DEMO_LOGINS
from community.models import User


class Command(BaseCommand):
    help = "Open a demo round of learning circles with imported sign-ups, composed. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--time-limit", type=float, default=8.0, help="seconds to compose")

    def handle(self, *args, time_limit, **options):
        organizer = User.objects.get(email=DEMO_LOGINS["organizer"])
        running = seed_running_demo(organizer=organizer)
        if running is not None:
            self.stdout.write(f"Demo circles that meet: “{running.name}”, places to fill.")
        link = seed_invitation_demo(
            member_email=DEMO_LOGINS["member"], organizer_email=DEMO_LOGINS["organizer"]
        )
        if link:
            self.stdout.write(f"The demo member's circle invitation: {link}")
        round = seed_circles_demo(
            organizer_email=DEMO_LOGINS["organizer"],
            member_email=DEMO_LOGINS["member"],
            time_limit=time_limit,
        )
        if round is None:
            self.stdout.write("Demo circles already there.")
            return
        self.stdout.write(
            f"Demo circles ready: {round.signups.count()} sign-ups in “{round.name}”, "
            f"{round.circles.count()} circles proposed (organizers: /organize/circles/); "
            "the demo member's circle votes on its meeting time (/circles/c/<id>/)."
        )
