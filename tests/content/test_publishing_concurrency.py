"""Beat's publishing run started twice at the same moment, against PostgreSQL."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from community.models import Email
from content.models import Article
from content.services.articles import author_for, publish_due_articles
from tests.conftest import make_member, make_user
from tests.content.factories import make_article

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
RUNS = 4


def race() -> tuple[list[int], list[Exception]]:
    barrier = threading.Barrier(RUNS)
    published, failed = [], []

    def run():
        try:
            barrier.wait()
            published.append(publish_due_articles())
        except Exception as error:  # a deadlock or a duplicate fails the test
            failed.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(RUNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return published, failed


def test_runs_at_the_same_time_publish_each_piece_once_and_tell_each_writer_once(postgres_url):
    writer = make_user("writer@example.com", name="Wendy Writer")
    make_member(writer)
    author = author_for(writer)
    for number in range(6):
        make_article(
            f"Piece {number}",
            authors=[author],
            state=Article.State.SCHEDULED,
            publish_at=timezone.now() - timedelta(minutes=1),
        )
    published, failed = race()
    assert failed == []
    assert sum(published) == 6
    assert set(Article.objects.values_list("state", flat=True)) == {Article.State.PUBLISHED}
    live = Email.objects.filter(to=writer.email, subject__startswith="Your article is live")
    assert sorted(live.values_list("subject", flat=True)) == [
        f"Your article is live: Piece {number}" for number in range(6)
    ]
