from content.models.articles import Article, ArticleQuerySet, ContentImage, ReviewComment
from content.models.people import Author, FeedToken, Topic

__all__ = [
    "Article",
    "ArticleQuerySet",
    "Author",
    "ContentImage",
    "FeedToken",
    "ReviewComment",
    "Topic",
]
