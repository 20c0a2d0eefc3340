from content.models.articles import Article, ArticleQuerySet, ContentImage, ReviewComment
from content.models.people import Author, FeedToken, Topic
from content.models.webinars import Registration, Webinar, WebinarMessage, WebinarQuerySet

__all__ = [
    "Article",
    "ArticleQuerySet",
    "Author",
    "ContentImage",
    "FeedToken",
    "Registration",
    "ReviewComment",
    "Topic",
    "Webinar",
    "WebinarMessage",
    "WebinarQuerySet",
]
