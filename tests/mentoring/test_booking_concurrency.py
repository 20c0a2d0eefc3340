"""Many people asking for one slot at the same moment, against PostgreSQL: exactly one booking."""

import threading
from datetime import UTC, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from mentoring.models import Booking
from mentoring.services import bookings as service
from tests.mentoring.factories import make_coach_profile, make_other_member

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
THREADS = 50
# 10:00 UTC in three days: inside the coach's 09:00-17:00 (UTC) window whenever the test runs.
SLOT = datetime.combine(datetime.now(UTC).date() + timedelta(days=3), time(10), tzinfo=UTC)


def race(profile, requests: list[tuple]) -> tuple[list[Booking], list[Exception]]:
    """Run each (member, start, minutes) request in its own thread, all released at once."""
    barrier = threading.Barrier(len(requests))
    made, refused, failed = [], [], []

    def attempt(member, starts_at, minutes):
        try:
            barrier.wait()
            made.append(
                service.book_session(
                    profile, member=member, starts_at=starts_at, minutes=minutes, agenda="Scaling"
                )
            )
        except ValidationError as refusal:
            refused.append(refusal)
        except Exception as error:  # anything else is a server error
            failed.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=request) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failed, failed
    return made, refused


@pytest.fixture
def profile(postgres_url, coach):
    return make_coach_profile(coach, timezone="UTC", notice_hours=0)


@pytest.fixture
def members(postgres_url, db):
    return [make_other_member(f"racer{n}@example.com") for n in range(THREADS)]


def test_fifty_members_asking_for_one_slot_get_exactly_one_booking(profile, members):
    made, refused = race(profile, [(member, SLOT, 60) for member in members])
    assert len(made) == 1
    assert len(refused) == THREADS - 1
    assert all("no longer open" in refusal.messages[0] for refusal in refused)
    assert Booking.objects.filter(coach=profile).count() == 1


def test_overlapping_slots_of_different_lengths_give_exactly_one_booking(profile, members):
    requests = [
        (member, SLOT if n % 2 else SLOT + timedelta(minutes=30), 60 if n % 2 else 30)
        for n, member in enumerate(members)
    ]
    made, refused = race(profile, requests)
    assert len(made) == 1 and len(refused) == THREADS - 1
    assert Booking.objects.filter(coach=profile).count() == 1


def test_the_exclusion_constraint_refuses_an_overlap_that_skips_the_service(profile, members):
    from django.db import IntegrityError, transaction

    first = service.book_session(
        profile, member=members[0], starts_at=SLOT, minutes=60, agenda="Scaling"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            coach=profile,
            member=members[1],
            starts_at=first.starts_at + timedelta(minutes=30),
            ends_at=first.ends_at + timedelta(minutes=30),
            blocked_from=first.starts_at + timedelta(minutes=30),
            blocked_until=first.ends_at + timedelta(minutes=30),
            agenda="Sneaking in",
        )
