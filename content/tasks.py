"""Celery tasks of content: thin wrappers around one service each."""

from celery import shared_task

from content.services import articles, webinar_editing


@shared_task
def publish_due_articles() -> int:
    return articles.publish_due_articles()


@shared_task
def send_webinar_reminders() -> int:
    return webinar_editing.send_due_reminders()
