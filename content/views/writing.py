"""Writing on the site: members' drafts, editors' review, scheduling and the live preview."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from community.access import editor_required, members_only
from content.forms import ArticleForm, CommentForm, ImageUploadForm, PreviewForm, ScheduleForm
from content.models import Article
from content.paging import page_of
from content.rendering import image_markdown, outside_images_notice, render_markdown
from content.services import articles as service

PIECES_PER_PAGE = 50
LISTED = ("pk", "title", "state", "publish_at", "updated_at")


def writer_required(view):
    """Members write drafts and editors everything; the rest get the members-only page."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_member or request.user.is_editor):
            return members_only(request)
        return view(request, *args, **kwargs)

    return wrapper


def _pieces_of(user):
    """Every piece for editors; for a member, the pieces they created or co-wrote."""
    pieces = Article.objects.all()
    return pieces if user.is_editor else pieces.written_by(user)


def _own_or_editor(request, pk) -> Article:
    return get_object_or_404(_pieces_of(request.user), pk=pk)


@writer_required
def piece_list(request):
    pieces = _pieces_of(request.user)
    counts = dict(pieces.order_by().values_list("state").annotate(Count("pk")))
    state = request.GET.get("state", "")
    if state in Article.State.values:
        pieces = pieces.filter(state=state)
    listed = pieces.only(*LISTED).order_by("-updated_at", "-pk")
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "pieces": page_of(listed, request.GET.get("page"), size=PIECES_PER_PAGE),
        "states": [(value, label, counts.get(value, 0)) for value, label in Article.State.choices],
        "state": state,
        "query": query,
    }
    return render(request, "content/piece_list.html", context)


def _save(request, form: ArticleForm, *, new: bool) -> Article:
    """Save through the service; a piece nobody else signs is signed by its writer."""
    authors = list(form.cleaned_data.get("authors") or [])
    if not authors and (new or "authors" in form.fields):
        authors = [service.author_for(request.user)]
    return service.save_article(
        form.instance,
        saved_by=request.user,
        authors=authors or None,
        topics=form.cleaned_data["topics"],
        cover_upload=form.cleaned_data.get("cover_upload"),
        remove_cover=form.cleaned_data.get("remove_cover", False),
    )


@writer_required
def piece_create(request):
    form = ArticleForm(request.POST or None, request.FILES or None, editor=request.user.is_editor)
    if request.method == "POST" and form.is_valid():
        try:
            article = _save(request, form, new=True)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Draft saved.")
            return redirect("content:piece_edit", pk=article.pk)
    return render(request, "content/piece_form.html", {"form": form})


@writer_required
def piece_edit(request, pk):
    article = _own_or_editor(request, pk)
    editable = article.editable_by(request.user)
    form = ArticleForm(
        request.POST or None, request.FILES or None, instance=article, editor=request.user.is_editor
    )
    status = 200
    if request.method == "POST":
        try:
            if not editable:  # sent from a page opened before it went to review, or out
                raise service.NotEditable(article)
            if form.is_valid():
                _save(request, form, new=False)
                messages.success(request, "Saved.")
                return redirect("content:piece_edit", pk=article.pk)
        except service.NotEditable as refusal:
            # Say why, and show the text they wrote so that it is not lost.
            form.add_error(None, refusal)
            article.refresh_from_db()  # the form's cleaning copied the refused text onto it
            editable, status = False, 409
        except ValidationError as error:
            form.add_error(None, error)
    context = {
        "article": article,
        "form": form,
        "editable": editable,
        "writes_it": article.is_written_by(request.user),
        "comments": article.comments.select_related("author"),
        "schedule_form": ScheduleForm(initial={"publish_at": article.publish_at}),
        "comment_form": CommentForm(),
        "preview_notice": outside_images_notice(article.body_markdown),
    }
    return render(request, "content/piece_form.html", context, status=status)


def _act(request, article: Article, action, success: str, **kwargs):
    try:
        action(article, by=request.user, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("content:piece_edit", pk=article.pk)


def _refused(request, article: Article, form):
    """Back to the piece, saying what was wrong with what was sent."""
    messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
    return redirect("content:piece_edit", pk=article.pk)


@writer_required
@require_POST
def piece_submit(request, pk):
    article = _own_or_editor(request, pk)
    return _act(request, article, service.submit_for_review, "Sent to the editors for review.")


@writer_required
@require_POST
def piece_comment(request, pk):
    article = _own_or_editor(request, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _refused(request, article, form)
    body = form.cleaned_data["body"]
    return _act(request, article, service.add_review_comment, "Comment added.", body=body)


@editor_required
@require_POST
def piece_return(request, pk):
    article = get_object_or_404(Article, pk=pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _refused(request, article, form)
    comment = form.cleaned_data["body"]
    return _act(
        request, article, service.return_to_writer, "Sent back to the writer.", comment=comment
    )


@editor_required
@require_POST
def piece_schedule(request, pk):
    article = get_object_or_404(Article, pk=pk)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        # The field says what is wrong: not a date, or a time the clocks skip or repeat.
        messages.error(request, " ".join(form.errors["publish_at"]))
        return redirect("content:piece_edit", pk=article.pk)
    publish_at = form.cleaned_data["publish_at"]
    return _act(request, article, service.schedule_article, "Scheduled.", publish_at=publish_at)


@editor_required
@require_POST
def piece_archive(request, pk):
    article = get_object_or_404(Article, pk=pk)
    return _act(request, article, service.archive_article, "Archived.")


@writer_required
@require_POST
def preview(request):
    """The live preview: the same renderer and sanitiser as the saved article."""
    form = PreviewForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": "The text is too long to preview."}, status=400)
    text = form.cleaned_data["body_markdown"]
    return JsonResponse({"html": render_markdown(text), "notice": outside_images_notice(text)})


@writer_required
@require_POST
def image_upload(request):
    """An image for the body: stored, and given back as the Markdown that shows it."""
    form = ImageUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = [error for errors in form.errors.values() for error in errors]
        return JsonResponse({"error": " ".join(errors)}, status=400)
    try:
        image = service.upload_image(
            form.cleaned_data["image"], by=request.user, alt=form.cleaned_data["alt"]
        )
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    markdown = image_markdown(image.image.url, image.alt)
    return JsonResponse({"url": image.image.url, "markdown": markdown})
