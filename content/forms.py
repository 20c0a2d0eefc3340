"""The forms of the writing pages: validation only; the views hand the data to a service."""

from datetime import UTC, datetime, timedelta

from django import forms
from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.utils import timezone
from PIL import Image

from community.fields import ModelMultipleChoiceField
from content import images
from content.models import Article, Author, Topic, Webinar


class UploadedImageField(forms.ImageField):
    """An image of a kind the writing pages store, named as one: Django's own check names every
    format Pillow reads (PDF and PSD among them), which the service then refuses."""

    default_validators = [FileExtensionValidator(images.EXTENSIONS)]
    widget = forms.ClearableFileInput(attrs={"accept": images.ACCEPT})

    def to_python(self, data):
        try:
            return super().to_python(data)
        except forms.ValidationError as error:
            if isinstance(error.__cause__, Image.DecompressionBombError):
                raise forms.ValidationError(images.TOO_MANY_PIXELS) from error
            raise


# Longer than any article (a long read is some 60,000), and what the live preview renders.
MAX_BODY_CHARS = 200_000


class ArticleForm(forms.ModelForm):
    body_markdown = forms.CharField(
        label="Body (Markdown)",
        required=False,
        max_length=MAX_BODY_CHARS,
        widget=forms.Textarea(attrs={"rows": 18, "data-markdown-source": ""}),
    )
    cover_upload = UploadedImageField(
        label="Cover image",
        required=False,
        help_text="JPEG, PNG, WebP or GIF; wide images are scaled down.",
    )
    remove_cover = forms.BooleanField(
        label="Remove cover",
        required=False,
        help_text="The piece is shown without a cover image.",
    )
    topics = ModelMultipleChoiceField(
        queryset=Topic.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    authors = ModelMultipleChoiceField(
        queryset=Author.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave empty to sign it yourself.",
    )

    class Meta:
        model = Article
        fields = ["title", "summary", "body_markdown", "cover_alt", "visibility"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, editor: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["topics"].initial = list(self.instance.topics.all())
            self.fields["authors"].initial = list(self.instance.authors.all())
        if not editor:  # members sign their own pieces
            del self.fields["authors"]
        if not self.instance.cover:
            del self.fields["remove_cover"]

    def clean_cover_upload(self):
        upload = self.cleaned_data.get("cover_upload")
        if upload and upload.size > settings.CONTENT_UPLOAD_MAX_BYTES:
            raise forms.ValidationError("This image is too large.")
        return upload

    def clean(self):
        data = super().clean()
        if data.get("remove_cover") and data.get("cover_upload"):
            self.add_error("remove_cover", "Either remove the cover or upload a new one, not both.")
            return data
        kept = self.instance.cover and not data.get("remove_cover")
        has_cover = data.get("cover_upload") or kept
        if has_cover and not (data.get("cover_alt") or "").strip():
            self.add_error("cover_alt", "Describe the cover image for people who cannot see it.")
        return data


MAX_LEAD = timedelta(days=3653)  # ten years
EARLIEST_PUBLISH_AT = datetime(2000, 1, 1, tzinfo=UTC)


class ScheduleForm(forms.Form):
    publish_at = forms.DateTimeField(
        label="Publish at",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Leave empty to publish now.",
    )

    def clean_publish_at(self):
        # Past those, the time is a typo, and near the ends of the calendar it cannot even be
        # turned into UTC or back into the readers' zones.
        publish_at = self.cleaned_data["publish_at"]
        if publish_at and publish_at > timezone.now() + MAX_LEAD:
            raise forms.ValidationError("Schedule a piece at most ten years ahead.")
        if publish_at and publish_at < EARLIEST_PUBLISH_AT:
            raise forms.ValidationError("Give a date from the year 2000 on.")
        return publish_at


class CommentForm(forms.Form):
    # A few pages of notes at most; the browser stops the typing there too (maxlength).
    body = forms.CharField(
        label="Comment",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write a comment first."},
    )


class PreviewForm(forms.Form):
    body_markdown = forms.CharField(required=False, max_length=MAX_BODY_CHARS)


class ImageUploadForm(forms.Form):
    image = UploadedImageField()
    alt = forms.CharField(max_length=200)

    def clean_image(self):
        image = self.cleaned_data["image"]
        if image.size > settings.CONTENT_UPLOAD_MAX_BYTES:
            raise forms.ValidationError("This image is too large.")
        return image


class WebinarForm(forms.ModelForm):
    speakers = ModelMultipleChoiceField(
        queryset=Author.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    topics = ModelMultipleChoiceField(
        queryset=Topic.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Webinar
        fields = [
            "title", "summary", "description_markdown", "starts_at", "duration_minutes",
            "capacity", "visibility", "join_url",
        ]  # fmt: skip
        labels = {"starts_at": "Starts at", "duration_minutes": "Length (minutes)"}
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description_markdown": forms.Textarea(attrs={"rows": 12, "data-markdown-source": ""}),
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["speakers"].initial = list(self.instance.speakers.all())
            self.fields["topics"].initial = list(self.instance.topics.all())

    def clean_starts_at(self):
        # Further off is a typo, and near the year 9999 the end time cannot even be computed.
        starts_at = self.cleaned_data["starts_at"]
        if starts_at and starts_at > timezone.now() + MAX_LEAD:
            raise forms.ValidationError("Plan a webinar at most ten years ahead.")
        return starts_at


# The files are served from the site's own address, so only these kinds are taken: a page or a
# script uploaded as a "recording" would run as the site.
RECORDING_EXTENSIONS = ["mp4", "m4v", "mov", "webm", "mkv", "mp3", "m4a", "ogg", "wav"]
SLIDES_EXTENSIONS = ["pdf", "pptx", "ppt", "key", "odp"]


class RecordingForm(forms.Form):
    recording_url = forms.URLField(label="Recording link", required=False, max_length=500)
    recording_file = forms.FileField(
        label="Or upload the recording",
        required=False,
        validators=[FileExtensionValidator(RECORDING_EXTENSIONS)],
        help_text="Video or audio: " + ", ".join(RECORDING_EXTENSIONS) + ".",
    )
    slides = forms.FileField(
        label="Slides",
        required=False,
        validators=[FileExtensionValidator(SLIDES_EXTENSIONS)],
        help_text="A deck: " + ", ".join(SLIDES_EXTENSIONS) + ".",
    )
    recap_markdown = forms.CharField(
        label="Summary of the event (Markdown)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    visibility = forms.ChoiceField(
        label="Who sees it in the library",
        choices=Webinar.Visibility.choices,
        initial=Webinar.Visibility.MEMBERS,
    )

    def clean(self):
        data = super().clean()
        for name in ("recording_file", "slides"):
            upload = data.get(name)
            if upload and upload.size > settings.CONTENT_RECORDING_MAX_BYTES:
                self.add_error(name, "This file is too large.")
        return data


class MessageForm(forms.Form):
    subject = forms.CharField(max_length=200)
    # Each registered person gets a copy; a page of text is plenty for a note about a webinar.
    body = forms.CharField(
        label="Message", max_length=20_000, widget=forms.Textarea(attrs={"rows": 8})
    )
