"""Twice as many people as places registering at the same moment, against PostgreSQL."""

import threading

import pytest
from django.db import connection

from content.models import Registration
from content.services.webinars import register_for_webinar
from tests.conftest import make_member, make_user
from tests.content.factories import make_webinar

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
CAPACITY = 10


def race(webinar, users) -> list[Exception]:
    barrier = threading.Barrier(len(users))
    failed = []

    def attempt(user):
        try:
            barrier.wait()
            register_for_webinar(webinar, user=user)
        except Exception as error:  # any refusal or server error fails the test
            failed.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failed


def test_twice_as_many_registrations_as_places_give_exactly_the_capacity(postgres_url):
    webinar = make_webinar(capacity=CAPACITY)
    users = []
    for n in range(2 * CAPACITY):
        user = make_user(f"racer{n}@example.com")
        make_member(user, company=f"Racer {n}")
        users.append(user)
    assert race(webinar, users) == []
    statuses = list(webinar.registrations.values_list("status", flat=True))
    assert statuses.count(Registration.Status.REGISTERED) == CAPACITY
    assert statuses.count(Registration.Status.WAITLISTED) == CAPACITY
