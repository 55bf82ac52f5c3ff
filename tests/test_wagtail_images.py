"""Images uploaded in the Wagtail admin: a file that only looks like an image is
refused with a form error, never a server error."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.images.models import Image

from tests.factories import make_admin

pytestmark = pytest.mark.django_db

# PNG magic bytes, then a web page: sniffed as PNG, unreadable as one.
PNG_THEN_HTML = b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>"


def _png() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (4, 3), "white").save(buffer, "PNG")
    return buffer.getvalue()


def _upload(content: bytes, name: str = "logo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


@pytest.fixture
def author(client):
    client.force_login(make_admin())
    return client


@pytest.mark.parametrize(
    "content",
    [
        PNG_THEN_HTML,
        _png()[:20],  # a PNG cut short inside its header
        _png()[:33] + b"<html>" * 20,  # a whole header, then no image data
    ],
    ids=["png-then-html", "truncated-png", "header-then-html"],
)
def test_it_refuses_a_fake_image_with_a_form_error(author, content):
    response = author.post(
        "/admin/images/add/", {"title": "Logo", "file": _upload(content)}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Image.objects.exists()


@pytest.mark.parametrize(
    "content", [PNG_THEN_HTML, _png()[:20]], ids=["png-then-html", "truncated-png"]
)
def test_it_refuses_a_fake_image_in_the_multiple_upload(author, content):
    response = author.post("/admin/images/multiple/add/", {"files[]": _upload(content)})
    assert response.status_code == 200
    assert response.json()["success"] is False
    assert response.json()["error_message"]
    assert not Image.objects.exists()


def test_it_still_takes_a_real_image(author):
    response = author.post(
        "/admin/images/add/", {"title": "Logo", "file": _upload(_png())}
    )
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height) == (4, 3)
    response = author.post("/admin/images/multiple/add/", {"files[]": _upload(_png())})
    assert response.json()["success"] is True
