"""Cover images: checked, turned upright and scaled down with Pillow before they are stored.

https://pillow.readthedocs.io/en/stable/reference/ImageOps.html#PIL.ImageOps.exif_transpose
"""

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

# Decoding a huge image takes memory the server does not have; Pillow refuses past this many pixels.
MAX_PIXELS = 40_000_000
FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def resize_cover(upload, *, max_width: int | None = None) -> ContentFile:
    """A JPEG no wider than `max_width`, re-encoded so that nothing but pixels is kept."""
    max_width = max_width or settings.CONTENT_COVER_MAX_WIDTH
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            if image.format not in FORMATS:
                raise ValidationError("Upload a JPEG, PNG, WebP or GIF image.")
            image = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError) as error:
        raise ValidationError("This file is not an image we can read.") from error
    if image.width > max_width:
        image.thumbnail((max_width, max_width * 4))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85, optimize=True)
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
