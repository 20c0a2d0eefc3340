from content.models.articles import Article, ArticleQuerySet, ReviewComment
from content.models.people import Author, FeedToken, Topic

__all__ = ["Article", "ArticleQuerySet", "Author", "FeedToken", "ReviewComment", "Topic"]
