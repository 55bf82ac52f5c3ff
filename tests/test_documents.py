"""Wagtail documents (the downloads lessons link to) are for signed-in people only."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def document():
    return Document.objects.create(
        title="Pricing sheet", file=ContentFile(b"%PDF-1.4 prices", name="prices.pdf")
    )


def test_it_sends_anonymous_visitors_to_sign_in(client, document):
    response = client.get(document.url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={document.url}"


def test_it_serves_documents_to_anyone_signed_in(client, document):
    client.force_login(UserFactory())
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 prices"


def test_it_ends_access_with_deactivation(client, document):
    person = UserFactory()
    client.force_login(person)
    person.is_active = False
    person.save()
    assert client.get(document.url).status_code == 302


def test_it_never_links_documents_straight_to_storage(settings):
    assert settings.WAGTAILDOCS_SERVE_METHOD != "direct"
