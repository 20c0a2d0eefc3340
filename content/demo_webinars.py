"""Demo webinars for `make run`: two upcoming ones people can register for, one past one."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from content.models import Author, Topic, Webinar
from content.services.webinar_editing import save_webinar

DEMO_WEBINARS = [
    {
        "title": "Hiring loops that candidates thank you for",
        "summary": "Three heads of engineering compare the interview loops they run, and why.",
        "description_markdown": "A live panel, then your questions.\n\n"
        "- Work samples against puzzles\n- Calibrating interviewers\n- Closing strong candidates",
        "days": 6,
        "visibility": Webinar.Visibility.PUBLIC,
        "capacity": 200,
        "topics": ["Hiring"],
    },
    {
        "title": "Leading through a reorganisation",
        "summary": "What to tell your teams, when, and how to keep the people you need.",
        "description_markdown": "For members: a candid session with a CTO who ran two "
        "reorganisations in a year.\n\nWe will share the communication plan, week by week.",
        "days": 13,
        "visibility": Webinar.Visibility.MEMBERS,
        "capacity": 3,
        "topics": ["Communication", "Stress and burnout"],
    },
    {
        "title": "Cloud bills, cut by a third",
        "summary": "How a platform team found and removed a third of its cloud spend.",
        "description_markdown": "A walk through the cost dashboards and the changes that paid.",
        "days": -9,
        "visibility": Webinar.Visibility.MEMBERS,
        "capacity": 150,
        "topics": ["Cloud migrations", "Choosing vendors"],
        "recap": "We agreed that **tagging every resource** comes first, then rightsizing, "
        "then commitments.",
    },
]


@transaction.atomic
def seed_demo_webinars(*, editor) -> int:
    """The demo webinars; returns how many were new."""
    if Webinar.objects.filter(title=DEMO_WEBINARS[0]["title"]).exists():
        return 0
    speakers = list(Author.objects.order_by("pk")[:2])
    start = timezone.now().replace(minute=0, second=0, microsecond=0)
    for data in DEMO_WEBINARS:
        webinar = Webinar(
            title=data["title"],
            summary=data["summary"],
            description_markdown=data["description_markdown"],
            starts_at=start + timedelta(days=data["days"], hours=17 - start.hour),
            duration_minutes=60,
            capacity=data["capacity"],
            visibility=data["visibility"],
            join_url="https://video.example.com/roundtable/" + str(abs(data["days"])),
            state=Webinar.State.SCHEDULED,
            recap_markdown=data.get("recap", ""),
            recording_url="https://video.example.com/recordings/1" if "recap" in data else "",
            library_at=timezone.now() if "recap" in data else None,
        )
        topics = list(Topic.objects.filter(name__in=data["topics"]))
        save_webinar(webinar, saved_by=editor, speakers=speakers, topics=topics)
    return len(DEMO_WEBINARS)


def seed_bench_webinars(count: int) -> int:
    """`count` webinars for the benchmark: four in five past and in the library, the rest ahead."""
    speakers = list(Author.objects.order_by("pk")[:5])
    topics = list(Topic.objects.order_by("pk"))
    now = timezone.now().replace(second=0, microsecond=0)
    for number in range(count):
        past = number % 5 != 0
        webinar = Webinar(
            title=f"Webinar {number}: leading engineering teams through change",
            summary="A panel of engineering leaders on hiring, promotion and burnout.",
            description_markdown="What we will cover.\n\nHiring, promotion, vendor contracts.",
            starts_at=now + timedelta(days=-number - 1 if past else number + 1),
            visibility=Webinar.Visibility.PUBLIC if number % 3 == 0 else Webinar.Visibility.MEMBERS,
            state=Webinar.State.SCHEDULED,
            recap_markdown="We agreed on three things." if past else "",
            library_at=now if past else None,
        )
        save_webinar(
            webinar,
            saved_by=None,
            speakers=speakers[number % len(speakers) :][:1],
            topics=topics[number % len(topics) :][:1] if topics else [],
        )
    return count
