"""Tasks travel through Redis to a real Celery worker, and only once their transaction commits."""

import re

import pytest
from django.db import transaction

from community.models import Email
from community.services.emails import queue_email
from tests.conftest import wait_for

pytestmark = pytest.mark.services
RECEIVED = re.compile(r"community\.tasks\.send_email\[[0-9a-f-]+\] received")


def test_a_task_enqueued_on_commit_is_run_by_the_worker(celery_worker):
    with transaction.atomic():
        email = queue_email(
            to="someone@example.com",
            template="application_withdrawn",
            context={"application": {"full_name": "Sam"}},
            key="worker-test-commit",
            user=None,
        )
    assert wait_for(lambda: Email.objects.get(pk=email.pk).status == Email.Status.SENT), (
        celery_worker.log()
    )
    assert RECEIVED.search(celery_worker.log())


def test_a_task_enqueued_in_a_rolled_back_transaction_never_runs(celery_worker):
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        queue_email(
            to="someone@example.com",
            template="application_withdrawn",
            context={"application": {"full_name": "Sam"}},
            key="worker-test-rollback",
            user=None,
        )
        raise Abort
    # A marker task sent afterwards proves the worker has drained everything queued before it.
    with transaction.atomic():
        marker = queue_email(
            to="marker@example.com",
            template="application_withdrawn",
            context={"application": {"full_name": "Sam"}},
            key="worker-test-marker",
            user=None,
        )
    assert wait_for(lambda: Email.objects.get(pk=marker.pk).status == Email.Status.SENT)
    assert not Email.objects.filter(key="worker-test-rollback").exists()
    assert len(RECEIVED.findall(celery_worker.log())) == 1  # the marker alone
