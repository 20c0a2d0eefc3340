"""`make run` fills the library with a few public and members-only articles."""

from django.core.management import call_command

from content.models import Article


def test_the_demo_library_has_public_and_members_only_articles(db, capsys):
    call_command("seed_demo", members=5, waiting=1)
    call_command("seed_content_demo")
    live = Article.objects.published()
    assert live.public().count() == 3 and live.count() == 6
    assert all(article.body_html and article.authors.exists() for article in live)
    assert "Demo library ready: 6 articles" in capsys.readouterr().out


def test_the_demo_has_two_upcoming_webinars_and_one_past_in_the_library(db):
    from content.models import Webinar

    call_command("seed_demo", members=5, waiting=1)
    call_command("seed_content_demo")
    call_command("seed_content_demo")
    assert Webinar.objects.upcoming().count() == 2
    assert list(Webinar.objects.in_library().values_list("title", flat=True)) == [
        "Cloud bills, cut by a third"
    ]
    assert all(webinar.description_html for webinar in Webinar.objects.all())


def test_loading_the_demo_library_twice_adds_nothing(db, capsys):
    call_command("seed_demo", members=5, waiting=1)
    call_command("seed_content_demo")
    call_command("seed_content_demo")
    assert Article.objects.count() == 6
    assert "already there" in capsys.readouterr().out


def test_bench_articles_are_published_indexed_and_a_third_public(member):
    from content.demo import seed_bench_articles
    from content.search import search_articles

    assert seed_bench_articles(30) == 30
    assert Article.objects.published().public().count() == 10
    assert search_articles("migration", user=member).exists()
