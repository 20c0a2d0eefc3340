"""The career framework Roundtable ships with, written for technology leaders.

Loaded by the data migration mentoring/migrations/0002_framework.py (so a fresh `migrate` has it)
and by `load_default_framework()` wherever a test or the demo needs it after a flush. Organizers
change it afterwards in the admin, as a new version.
"""

# (competency, description, topics a coach on it might teach, [skills of levels 0..5])
COMPETENCIES = [
    (
        "Delivery",
        "Turning intent into working software, predictably, with the people you have.",
        ["Scaling teams"],
        [
            [
                "Breaks own work into tasks that each fit in a day or two.",
                "Says early, without being asked, when a task will be late.",
                "Finishes what they start before picking up something new.",
            ],
            [
                "Plans a team's next two weeks with the team and keeps the plan visible.",
                "Runs a blameless review after an incident and follows up its actions.",
                "Knows the team's cycle time and can explain the last change in it.",
            ],
            [
                "Delivers a quarter-long project across two or more teams close to the date given.",
                "Cuts scope openly, with the stakeholders, rather than quietly slipping dates.",
                "Has removed a recurring source of unplanned work for their teams.",
                "Keeps a risk list for their larger projects and reviews it with the team.",
            ],
            [
                "Runs a portfolio of projects and says no to work that does not fit it.",
                "Has introduced a delivery practice (e.g. trunk-based development, on-call) that "
                "outlived their involvement.",
                "Reads the delivery health of teams they do not manage from their numbers and "
                "their rituals.",
            ],
            [
                "Sets the delivery targets of a department of several teams and meets them over a year.",
                "Has turned around a late or failing programme and can show what changed.",
                "Balances product work, platform work and maintenance with a rule people understand.",
            ],
            [
                "Shapes how the whole organization plans and ships, and peers adopt it.",
                "Has delivered a company-defining programme (a re-platforming, a major launch) "
                "through other leaders.",
                "Is asked by other companies or the community how they run delivery.",
            ],
        ],
    ),
    (
        "Domain expertise",
        "Depth in the technology and the business it serves.",
        ["Cloud migrations"],
        [
            [
                "Explains the main parts of their product's architecture to a new colleague.",
                "Can name the customers the product serves and what they pay for.",
            ],
            [
                "Reviews code or designs in their area and catches real problems.",
                "Knows where their system's data lives and who may see it.",
                "Can describe the three most important numbers of their part of the business.",
            ],
            [
                "Is the person others go to for at least one area of the system.",
                "Has written a design document that others built from.",
                "Explains the trade-offs of the main technology choices in their area.",
            ],
            [
                "Has led a major technical decision (a new datastore, a migration) from options "
                "to outcome.",
                "Keeps a view of how their market is changing and what it means for the technology.",
                "Spots when a business request hides a technical constraint, and the other way round.",
            ],
            [
                "Sets the technical direction of an area several teams work in.",
                "Judges vendors and build-or-buy choices with a cost model others trust.",
                "Is consulted by product and commercial leaders before they commit to a direction.",
            ],
            [
                "Is known outside the company for their expertise (talks, writing, standards work).",
                "Has changed the company's strategy through a technical insight.",
                "Grows other experts who now lead areas of their own.",
            ],
        ],
    ),
    (
        "Problem solving",
        "Finding the real problem and solving it at the right level.",
        [],
        [
            [
                "Asks for help after trying for a reasonable time, with what they have already tried.",
                "Reproduces a problem before trying to fix it.",
            ],
            [
                "Finds the root cause of a bug or incident rather than the first symptom.",
                "Writes down a problem and two options before choosing one.",
                "Uses data (logs, metrics, user research) to check an assumption.",
            ],
            [
                "Solves problems that cross team boundaries by bringing the right people together.",
                "Separates a decision that can be undone from one that cannot, and acts on each "
                "at its speed.",
                "Frames a vague request as a problem statement others agree with.",
            ],
            [
                "Solves a recurring class of problems instead of each instance.",
                "Decides well with incomplete information and says what would change their mind.",
                "Has untangled a conflict between teams about priorities or ownership.",
            ],
            [
                "Takes on the organization's hardest, most ambiguous problems and makes them "
                "tractable for others.",
                "Sees the second-order effects of a solution (on hiring, cost, culture) before "
                "choosing it.",
                "Builds the mechanisms (reviews, forums, metrics) through which others solve "
                "problems without them.",
            ],
            [
                "Reframes problems at company level in a way the executive team adopts.",
                "Is sought out by peers at other companies for hard, novel problems.",
            ],
        ],
    ),
    (
        "Communication",
        "Being understood, and understanding others, in writing, in person and in public.",
        ["Conflict"],
        [
            [
                "Writes a clear status update that someone outside the team can follow.",
                "Listens to the end of a question before answering it.",
            ],
            [
                "Runs a meeting with an agenda, decisions and owners written down.",
                "Gives specific, kind feedback to a peer.",
                "Adapts an explanation to a non-technical audience.",
            ],
            [
                "Writes proposals that get decided without a meeting.",
                "Handles a difficult conversation (a missed promise, a disagreement) directly and "
                "calmly.",
                "Presents their team's work to senior leadership and answers challenges.",
            ],
            [
                "Aligns several teams and their managers on a change through writing and "
                "conversation.",
                "Mediates a conflict between two people so that both can keep working together.",
                "Tells bad news early and plainly, with a plan.",
            ],
            [
                "Communicates the department's strategy so that engineers can repeat it in their "
                "own words.",
                "Negotiates budgets, scope and headcount with executives and finance.",
                "Speaks for the company to customers, candidates or investors.",
            ],
            [
                "Shapes the conversation in the wider community (keynotes, widely read writing).",
                "Is trusted by the board or executive team to explain technology and its risks.",
            ],
        ],
    ),
    (
        "Leadership",
        "Growing people and teams, and being the leader they need.",
        ["Hiring", "Career ladders", "First-time managers", "Burnout"],
        [
            [
                "Helps a new colleague get started without being asked.",
                "Takes responsibility for their own mistakes in front of the team.",
            ],
            [
                "Mentors one person and can show how they have grown.",
                "Interviews candidates with a structured set of questions and writes fair notes.",
                "Holds regular one-to-ones that the other person finds useful.",
            ],
            [
                "Leads a team whose members would choose to work with them again.",
                "Has dealt with under-performance fairly, with a clear plan and follow-through.",
                "Delegates work that stretches people and supports them through it.",
                "Notices signs of stress or burnout in the team and acts on them.",
            ],
            [
                "Leads managers or leads through other leaders.",
                "Has built a team from hiring plan to working team, with a diverse pipeline.",
                "Uses a career ladder to make promotions that people see as fair.",
            ],
            [
                "Designs the organization (teams, roles, reporting lines) for where the company "
                "is going.",
                "Grows leaders who take over their own role.",
                "Sets culture through what they reward, and can point to where it changed.",
            ],
            [
                "Leads a whole technology organization through a major change (growth, "
                "downsizing, a merger).",
                "Is a leader other leaders in the community learn from and recommend.",
            ],
        ],
    ),
]

# (direction, description, weights in the order of COMPETENCIES: each row adds up to 100)
DIRECTIONS = [
    (
        "Individual contributor",
        "Staff+ engineers and architects who lead through expertise.",
        [25, 30, 30, 10, 5],
    ),
    (
        "Functional leader",
        "Leaders of a discipline: engineering, data, security, platform.",
        [5, 30, 25, 20, 20],
    ),
    (
        "Cross-functional leader",
        "Leaders across disciplines: CTOs, VPs, heads of product engineering.",
        [30, 10, 15, 20, 25],
    ),
]


def slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def link_default_topics(version) -> None:
    """Link each competency of `version` to the coaching topics named above that exist now."""
    from mentoring.models import Topic

    for name, _, topics, _ in COMPETENCIES:
        competency = version.competencies.filter(slug=slug(name)).first()
        if competency is not None:
            competency.topics.add(*Topic.objects.filter(slug__in=[slug(t) for t in topics]))


def load_default_framework(apps=None):
    """Create version 1 of the framework, published, unless a version exists; returns the
    current one. Works with the migration's historical models (`apps`) or the real ones."""
    from django.apps import apps as real_apps
    from django.utils import timezone

    apps = apps or real_apps
    model = lambda name: apps.get_model("mentoring", name)  # noqa: E731
    Version, Competency, Skill = model("FrameworkVersion"), model("Competency"), model("Skill")
    Direction, Weight, Topic = model("Direction"), model("DirectionWeight"), model("Topic")
    if Version.objects.exists():
        return Version.objects.filter(status="published").order_by("-number").first()
    version = Version.objects.create(
        number=1, status="published", published_at=timezone.now(), notes="The default framework."
    )
    competencies = []
    for position, (name, description, topics, levels) in enumerate(COMPETENCIES):
        competency = Competency.objects.create(
            version=version, name=name, slug=slug(name), position=position, description=description
        )
        # Topics are the organizers' list: link those that exist, never create them here.
        competency.topics.set(Topic.objects.filter(slug__in=[slug(topic) for topic in topics]))
        Skill.objects.bulk_create(
            Skill(competency=competency, level=level, position=i, text=text)
            for level, skills in enumerate(levels)
            for i, text in enumerate(skills)
        )
        competencies.append(competency)
    for position, (name, description, weights) in enumerate(DIRECTIONS):
        direction = Direction.objects.create(
            version=version, name=name, slug=slug(name), position=position, description=description
        )
        Weight.objects.bulk_create(
            Weight(direction=direction, competency=competency, weight=weight)
            for competency, weight in zip(competencies, weights, strict=True)
        )
    return version
