"""Cover and body images: which files are refused and why, and how the ones kept are stored."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from content.images import resize_cover
from content.models import ContentImage


def image_file(size, *, mode="RGB", color="teal", name="cover.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def stored(content) -> Image.Image:
    return Image.open(io.BytesIO(content.read()))


def test_a_file_named_as_another_kind_is_refused_naming_the_kinds_taken(client_for, member):
    upload = image_file((10, 10), name="slides.pdf")
    response = client_for(member).post(
        reverse("content:image_upload"), {"image": upload, "alt": "A chart"}
    )
    assert response.status_code == 400
    assert response.json()["error"] == (
        "File extension “pdf” is not allowed. Allowed extensions are: jpg, jpeg, png, webp, gif."
    )
    assert not ContentImage.objects.exists()


def test_an_image_with_too_many_pixels_is_refused_before_it_is_decoded(db):
    # 49 million pixels: past the limit, yet under the twice-as-many where Pillow itself refuses.
    with pytest.raises(ValidationError, match="too many pixels"):
        resize_cover(image_file((7000, 7000), mode="1"))


def test_a_huge_image_sent_from_the_page_is_refused_saying_it_is_too_big(client_for, member):
    upload = image_file((9500, 9500), mode="1")
    response = client_for(member).post(
        reverse("content:image_upload"), {"image": upload, "alt": "x"}
    )
    assert response.status_code == 400
    assert "too many pixels" in response.json()["error"]


def test_a_very_tall_image_is_scaled_down_to_a_size_jpeg_holds(db, settings):
    settings.CONTENT_COVER_MAX_WIDTH = 400
    with stored(resize_cover(image_file((10, 70_000)))) as image:
        assert image.size == (1, 1600)


def test_the_transparent_parts_of_an_image_turn_white_not_black(db):
    logo = image_file((20, 20), mode="RGBA", color=(0, 0, 0, 0))
    with stored(resize_cover(logo)) as image:
        assert all(channel > 250 for channel in image.getpixel((10, 10)))
