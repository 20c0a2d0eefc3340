from django.core.management.base import BaseCommand

from community.demo import demo_code


class Command(BaseCommand):
    help = "Print the demo organizer's current two-factor code (demo data only)."

    def handle(self, *args, **options):
        self.stdout.write(demo_code())
