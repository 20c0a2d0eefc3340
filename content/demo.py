"""Demo and benchmark articles: a handful written out for `make run`, thousands generated for bench."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from content.models import Article, Author, Topic
from content.rendering import plain_text, reading_minutes, render_markdown, render_teaser
from content.services import articles as service
from content.services.indexing import refresh_all_search_vectors

TOPICS = [
    "Hiring", "Conflict resolution", "Communication", "Career ladders", "Cloud migrations",
    "Choosing vendors", "Stress and burnout", "Productivity", "Time management",
]  # fmt: skip
GUESTS = [
    ("Priya Raman", "Coached 200 engineering leaders through their first year as managers."),
    ("Tomasz Berg", "Led three cloud migrations at a bank without a single day of downtime."),
]
DEMO_ARTICLES = [
    {
        "title": "Hiring your first engineering manager",
        "summary": "What to look for, how to run the loop, and the mistakes that cost a year.",
        "topics": ["Hiring", "Career ladders"],
        "visibility": "public",
        "guest": 0,
        "body": "Your first engineering manager shapes the culture more than any hire after them.\n\n"
        "## What to look for\n\n- They have **grown people**, not only shipped features.\n"
        "- They can say no to you, kindly.\n- They write clearly.\n\n"
        "## The loop\n\nRun a realistic one-to-one role play, a written exercise and a "
        "conversation with the team they would lead.",
    },
    {
        "title": "When two tech leads stop talking",
        "summary": "A conflict between senior people, and the three conversations that ended it.",
        "topics": ["Conflict resolution", "Communication"],
        "visibility": "members",
        "guest": None,
        "body": "Conflict between senior engineers rarely starts with people; it starts with "
        "unclear ownership.\n\nWe mapped every decision the two leads disagreed on and found "
        "that eleven of fourteen were about who decides, not what to decide.\n\n"
        "1. Name the decision rights.\n2. Write them down.\n3. Review them after a month.",
    },
    {
        "title": "Moving to the cloud without stopping the business",
        "summary": "A migration plan in slices, each one reversible, each one paying for itself.",
        "topics": ["Cloud migrations", "Choosing vendors"],
        "visibility": "public",
        "guest": 1,
        "body": "Big-bang migrations fail because nobody can reverse them.\n\n"
        "| Slice | Risk | Reversible |\n|---|---|---|\n| Static assets | Low | Yes |\n"
        "| Batch jobs | Medium | Yes |\n| Primary database | High | With a replica |\n\n"
        "Start with the slice that teaches you the most for the least risk.",
    },
    {
        "title": "Noticing burnout before it is too late",
        "summary": "The early signs in a team, and what a leader can change this week.",
        "topics": ["Stress and burnout", "Productivity"],
        "visibility": "members",
        "guest": 0,
        "body": "Burnout shows in calendars before it shows in people.\n\n"
        "Look for meetings that creep into evenings, reviews that stall, and the quiet "
        "engineer who stops disagreeing.\n\n"
        "## This week\n\n- Cancel one recurring meeting.\n- Ask each person what they would drop.",
    },
    {
        "title": "A career ladder people actually use",
        "summary": "Levels written as skills with examples, so promotions stop being a negotiation.",
        "topics": ["Career ladders"],
        "visibility": "members",
        "guest": None,
        "body": "A ladder is useful when an engineer can read it and know what to do next.\n\n"
        "Write each level as skills, score them 0, 1 or 2 with examples, and review them "
        "together every six months.",
    },
    {
        "title": "Protecting time for deep work",
        "summary": "How leaders of large groups keep two mornings a week free, and defend them.",
        "topics": ["Time management", "Productivity"],
        "visibility": "public",
        "guest": None,
        "body": "Your calendar is your strategy.\n\nBlock two mornings, tell your team why, "
        "and treat them like a meeting with your most important customer.",
    },
]


def _topics() -> dict[str, Topic]:
    return {
        name: Topic.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
        for name in TOPICS
    }


def _guests() -> list[Author]:
    return [
        Author.objects.get_or_create(slug=slugify(name), defaults={"name": name, "bio": bio})[0]
        for name, bio in GUESTS
    ]


@transaction.atomic
def seed_content_demo(*, editor) -> int:
    """The demo topics, guest experts and articles; returns how many articles were new."""
    topics, guests = _topics(), _guests()
    editor_author = service.author_for(editor)
    now, created = timezone.now(), 0
    for days_ago, piece in enumerate(DEMO_ARTICLES, start=1):
        if Article.objects.filter(title=piece["title"]).exists():
            continue
        article = Article(
            title=piece["title"],
            summary=piece["summary"],
            body_markdown=piece["body"],
            visibility=piece["visibility"],
            state=Article.State.PUBLISHED,
            publish_at=now - timedelta(days=days_ago * 3),
        )
        authors = [guests[piece["guest"]]] if piece["guest"] is not None else [editor_author]
        topic_rows = [topics[name] for name in piece["topics"]]
        service.save_article(article, saved_by=editor, authors=authors, topics=topic_rows)
        created += 1
    return created


# Generated articles read like the real ones: everyday words of the trade, and the words of the
# article's own theme, so a search for a theme word finds about one article in ten.
COMMON = (
    "team engineer manager review career cloud budget roadmap incident week quarter plan goal "
    "people group project product customer service process change problem question answer time "
    "meeting decision ownership strategy priority deadline growth scale company leader director "
    "system code release quality risk cost value report update example story lesson practice "
    "habit approach option trade-off context expectation agreement result outcome metric signal "
    "conversation colleague peer stakeholder executive board founder startup enterprise office "
    "remote hybrid schedule calendar document proposal draft principle standard policy budget"
).split()
THEMES = {
    "Hiring": "hiring interview candidate offer recruiter pipeline referral sourcing loop onboarding",
    "Conflict resolution": "conflict disagreement mediation tension dispute escalation repair apology",
    "Communication": "communication writing presentation listening clarity message audience memo",
    "Career ladders": "ladder promotion level competency calibration mentoring sponsorship growth",
    "Cloud migrations": "migration kubernetes datacenter replica cutover rollback latency terraform",
    "Choosing vendors": "vendor contract procurement licence negotiation pricing lock-in evaluation",
    "Stress and burnout": "burnout stress exhaustion recovery wellbeing overtime boundaries fatigue",
    "Productivity": "productivity focus flow throughput interruptions automation toil velocity",
    "Time management": "delegation prioritisation timeboxing agenda inbox backlog diary weekly",
}


def _sentence(rng: random.Random, theme: list[str]) -> str:
    words = [
        rng.choice(theme) if rng.random() < 0.15 else rng.choice(COMMON)
        for _ in range(rng.randint(8, 18))
    ]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random, theme: list[str]) -> str:
    return " ".join(_sentence(rng, theme) for _ in range(rng.randint(3, 6)))


def _body(rng: random.Random, theme: list[str]) -> str:
    parts = []
    for _ in range(rng.randint(4, 7)):
        parts.append(f"## {_sentence(rng, theme)[:-1]}")
        parts.extend(_paragraph(rng, theme) for _ in range(rng.randint(2, 4)))
        if rng.random() < 0.4:
            parts.append("\n".join(f"- {_sentence(rng, theme)}" for _ in range(4)))
    return "\n\n".join(parts)


def seed_bench_articles(count: int, *, seed: int = 11) -> int:
    """`count` published articles (about 500-2,000 words, a third public) in bulk, indexed."""
    rng = random.Random(seed)
    topics = list(_topics().values())
    authors = _guests() + [
        Author.objects.get_or_create(slug=f"bench-author-{i}", defaults={"name": f"Author {i}"})[0]
        for i in range(20)
    ]
    now = timezone.now()
    batch, chosen = [], []
    for index in range(count):
        topic = rng.choice(topics)
        theme = THEMES[topic.name].split()
        body = _body(rng, theme)
        html = render_markdown(body)
        text = plain_text(html)
        title = _sentence(rng, theme)[:-1][:120]
        chosen.append(topic)
        batch.append(
            Article(
                title=title,
                slug=f"{slugify(title)[:180]}-{index}",
                summary=_sentence(rng, theme),
                body_markdown=body,
                body_html=html,
                teaser_html=render_teaser(body),
                body_text=text,
                reading_minutes=reading_minutes(text),
                state=Article.State.PUBLISHED,
                publish_at=now - timedelta(hours=index),
                visibility=Article.Visibility.PUBLIC
                if index % 3 == 0
                else Article.Visibility.MEMBERS,
            )
        )
    created = Article.objects.bulk_create(batch, batch_size=500)
    Through, TopicThrough = Article.authors.through, Article.topics.through
    Through.objects.bulk_create(
        [Through(article=a, author=rng.choice(authors)) for a in created], batch_size=2000
    )
    TopicThrough.objects.bulk_create(
        [TopicThrough(article=a, topic=topic) for a, topic in zip(created, chosen, strict=True)],
        batch_size=2000,
    )
    refresh_all_search_vectors(Article)
    return len(created)
