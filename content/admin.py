from django.contrib import admin

from content.models import Article, Author, ReviewComment, Topic, Webinar


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "user"]
    search_fields = ["name"]
    raw_id_fields = ["user"]
    prepopulated_fields = {"slug": ["name"]}


class ReviewCommentInline(admin.TabularInline):
    model = ReviewComment
    extra = 0
    fields = ["author", "body", "created_at"]
    readonly_fields = ["author", "body", "created_at"]
    can_delete = False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """Read-mostly: pieces are written on the site, where saving renders and indexes them."""

    list_display = ["title", "state", "visibility", "publish_at"]
    list_filter = ["state", "visibility", "topics"]
    search_fields = ["title"]
    fields = ["title", "slug", "summary", "state", "visibility", "publish_at", "created_by"]
    readonly_fields = fields
    inlines = [ReviewCommentInline]

    def has_add_permission(self, request):
        return False


@admin.register(Webinar)
class WebinarAdmin(admin.ModelAdmin):
    """Read-only: webinars are planned on the site, where saving renders them and tells the
    registered of changes."""

    list_display = ["title", "state", "visibility", "starts_at", "capacity"]
    list_filter = ["state", "visibility"]
    search_fields = ["title"]
    fields = ["title", "slug", "summary", "state", "visibility", "starts_at", "capacity"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False
