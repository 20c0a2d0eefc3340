from django.core.management.base import BaseCommand

from community.demo import DEMO_LOGINS
from community.models import User
from content.demo import seed_content_demo
from content.demo_webinars import seed_demo_webinars


class Command(BaseCommand):
    help = (
        "Load the demo library: topics, guest experts, public and members-only articles, and "
        "webinars. Idempotent."
    )

    def handle(self, *args, **options):
        editor = User.objects.filter(email=DEMO_LOGINS["editor"]).first()
        if editor is None:
            self.stderr.write("Run seed_demo first: the demo articles are signed by its editor.")
            return
        created = seed_content_demo(editor=editor)
        webinars = seed_demo_webinars(editor=editor)
        if webinars:
            self.stdout.write(f"Demo webinars ready: {webinars} (readers: /webinars/).")
        if not created:
            self.stdout.write("Demo articles already there.")
            return
        self.stdout.write(f"Demo library ready: {created} articles (readers: /library/).")
