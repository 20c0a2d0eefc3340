"""Celery tasks of content: thin wrappers around one service each."""

from celery import shared_task

from content.services import articles


@shared_task
def publish_due_articles() -> int:
    return articles.publish_due_articles()
