"""A coach's accepts racing each other for the last places, against PostgreSQL: the group's row
is locked before its members are counted, so it never holds more than its capacity."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from mentoring.models import GroupMembership
from mentoring.services import groups
from tests.mentoring.groups_people import members, open_test_group

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
REQUESTS = 20


def accept_all_at_once(requests: list[GroupMembership], *, by) -> tuple[list, list]:
    barrier = threading.Barrier(len(requests))
    accepted, refused, failed = [], [], []

    def attempt(membership):
        try:
            barrier.wait()
            accepted.append(groups.accept_request(membership, by=by))
        except ValidationError as refusal:
            refused.append(refusal)
        except Exception as error:  # anything else is a server error
            failed.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(request,)) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failed, failed
    return accepted, refused


def test_twenty_accepts_at_once_fill_a_group_of_six_and_no_more(postgres_url, coach):
    group = open_test_group(coach, first_session_at=timezone.now() + timedelta(days=10))
    requests = [
        groups.request_to_join(group, member=user, note="Please") for user in members(REQUESTS)
    ]

    accepted, refused = accept_all_at_once(requests, by=coach)

    assert len(accepted) == 6 and len(refused) == REQUESTS - 6
    assert all("full" in refusal.messages[0] for refusal in refused)
    assert group.memberships.filter(status=GroupMembership.Status.ACCEPTED).count() == 6
    assert group.memberships.filter(status=GroupMembership.Status.REQUESTED).count() == 14
