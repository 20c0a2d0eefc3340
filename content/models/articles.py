"""Articles: written in Markdown, stored with their sanitised HTML, public or for members."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from content.models.people import Author, Topic, Visibility, listed


class SearchIndex(GinIndex):
    """A GIN index on PostgreSQL; elsewhere (SQLite, which searches the text) an ordinary one."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return models.Index.create_sql(self, model, schema_editor, **kwargs)
        return super().create_sql(model, schema_editor, using=using, **kwargs)


def is_editor(user) -> bool:
    return getattr(user, "is_editor", False)


LISTED_FIELDS = (
    "pk", "title", "slug", "summary", "cover", "cover_alt", "reading_minutes", "visibility",
    "publish_at", "state",
)  # fmt: skip


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """Out for readers: published, or scheduled and its time has come (before beat flips it)."""
        now = now or timezone.now()
        # The same list, in the same order, as the condition of the `content_article_live` index.
        live = [Article.State.PUBLISHED, Article.State.SCHEDULED]
        return self.filter(state__in=live, publish_at__lte=now)

    def public(self):
        return self.filter(visibility=Article.Visibility.PUBLIC)

    def due(self, now=None):
        """Scheduled ones whose time has come, for the beat task to publish."""
        return self.filter(state=Article.State.SCHEDULED, publish_at__lte=now or timezone.now())

    def written_by(self, user):
        """Pieces `user` created or is an author of. EXISTS rather than a join: each piece once,
        however many of its authors the person is."""
        authored = Article.authors.through.objects.filter(article=OuterRef("pk"), author__user=user)
        return self.filter(Q(created_by=user) | Exists(authored))

    def on_topics(self, topics):  # topics: a list or a queryset (then a subquery, read lazily)
        """Pieces on any of `topics`. EXISTS rather than a join: walking the library's index
        newest first, the first few that qualify are found without collecting them all."""
        on = Article.topics.through.objects.filter(article=OuterRef("pk"), topic__in=topics)
        return self.filter(Exists(on))

    def for_results(self):
        """Only the columns a list of pieces shows (never the body or the search vectors)."""
        return self.only(*LISTED_FIELDS)

    def for_listing(self):
        """What a list of pieces shows, in a fixed number of queries whatever its length."""
        return (
            self.for_results()
            .prefetch_related(
                listed("authors", Author, to_attr="listed_authors"),
                listed("topics", Topic, to_attr="listed_topics"),
            )
            .order_by("-publish_at", "-pk")
        )


class Article(models.Model):
    kind = "article"

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    Visibility = Visibility

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    summary = models.CharField(max_length=500, help_text="One or two sentences, plain text.")
    body_markdown = models.TextField(blank=True)
    # Written only by content.services.articles from body_markdown, through the sanitiser.
    body_html = models.TextField(blank=True, editable=False)
    teaser_html = models.TextField(blank=True, editable=False)
    body_text = models.TextField(blank=True, editable=False)
    cover = models.ImageField(upload_to="content/covers/%Y/%m/", blank=True)
    cover_alt = models.CharField(
        "cover description", max_length=200, blank=True, help_text="What the cover image shows."
    )
    authors = models.ManyToManyField(Author, related_name="articles", blank=True)
    topics = models.ManyToManyField(Topic, related_name="articles", blank=True)
    reading_minutes = models.PositiveSmallIntegerField(default=1, editable=False)
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT)
    publish_at = models.DateTimeField(null=True, blank=True)
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="content_articles",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    # Kept up to date by the service that saves an article (PostgreSQL only; empty on SQLite):
    # everything, for members; title and summary only, what outsiders may search.
    search_vector = SearchVectorField(null=True, editable=False)
    teaser_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-pk"]
        indexes = [
            # The library's order, newest first, read from the index and stopped after a page.
            models.Index(
                fields=["-publish_at", "-id"],
                name="content_article_live",
                condition=Q(state__in=["published", "scheduled"]),
            ),
            SearchIndex(fields=["search_vector"], name="content_article_search"),
            SearchIndex(fields=["teaser_vector"], name="content_article_teaser_search"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state__in=["scheduled", "published"]) | Q(publish_at__isnull=False),
                name="content_article_live_has_publish_at",
            ),
            models.CheckConstraint(
                condition=Q(cover="") | ~Q(cover_alt=""),
                name="content_article_cover_has_alt",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("content:article_detail", args=[self.slug])

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC

    def is_live(self, now=None) -> bool:
        live = self.state in (self.State.PUBLISHED, self.State.SCHEDULED)
        return live and self.publish_at is not None and self.publish_at <= (now or timezone.now())

    def readable_by(self, user) -> bool:
        """Whether this person may read the whole text (the rest see the teaser)."""
        return self.is_public or getattr(user, "is_member", False) or is_editor(user)

    def is_written_by(self, user) -> bool:
        """Whether `user` created this piece or is one of its authors (a co-author)."""
        if user.pk is None:
            return False
        return self.created_by_id == user.pk or self.authors.filter(user=user).exists()

    def editable_by(self, user) -> bool:
        """Editors edit anything; a member edits a piece they wrote (created, or co-wrote)
        until it goes to review."""
        if is_editor(user):
            return True
        if self.state != self.State.DRAFT or not getattr(user, "is_member", False):
            return False
        return self.is_written_by(user)


class ReviewComment(models.Model):
    """What an editor (or the writer, in reply) said about a piece under review."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment on {self.article}"


class ContentImage(models.Model):
    """An image uploaded from the editor for an article's body, scaled down like covers."""

    image = models.ImageField(upload_to="content/images/%Y/%m/")
    alt = models.CharField("description", max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.alt
