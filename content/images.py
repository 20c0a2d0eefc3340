"""Cover images: checked, turned upright and scaled down with Pillow before they are stored.

https://pillow.readthedocs.io/en/stable/reference/ImageOps.html#PIL.ImageOps.exif_transpose
"""

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

# Decoding a huge image takes memory the server does not have. Pillow only warns between its
# limit and twice it (https://pillow.readthedocs.io/en/stable/reference/Image.html#PIL.Image.open),
# so the size is checked here, before anything is decoded.
MAX_PIXELS = 40_000_000
FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# The names of the files the writing pages take: the formats above, and nothing else.
EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]
ACCEPT = "image/jpeg,image/png,image/webp,image/gif"
TOO_MANY_PIXELS = "This image has too many pixels (40 million at most); scale it down first."


def resize_cover(upload, *, max_width: int | None = None) -> ContentFile:
    """A JPEG no wider than `max_width` (nor taller than four times it), re-encoded so that
    nothing but pixels is kept."""
    max_width = max_width or settings.CONTENT_COVER_MAX_WIDTH
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            if image.format not in FORMATS:
                raise ValidationError("Upload a JPEG, PNG, WebP or GIF image.")
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(TOO_MANY_PIXELS)
            image = _on_white(ImageOps.exif_transpose(image))
    except Image.DecompressionBombError as error:
        raise ValidationError(TOO_MANY_PIXELS) from error
    except (UnidentifiedImageError, OSError) as error:
        raise ValidationError("This file is not an image we can read.") from error
    # JPEG holds at most 65,500 pixels a side: a very tall image is scaled down too.
    image.thumbnail((max_width, max_width * 4))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85, optimize=True)
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


def _on_white(image: Image.Image) -> Image.Image:
    """RGB for JPEG; transparent parts (a logo's background) become white, not black."""
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, "white")
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background
