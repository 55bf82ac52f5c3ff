from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from library import selectors, services
from library.models import Freshness, LibraryItem

ADD_URL = "wagtailsnippets_library_libraryitem:add"


def test_it_defaults_the_review_date_from_the_kind_interval(items, time_machine):
    time_machine.move_to("2026-03-02 09:00Z", tick=False)
    card = items.make(card_kind=LibraryItem.CardKind.BATTLECARD)
    video = items.make(kind=LibraryItem.Kind.LINK, card_kind="", url="https://x.test")
    assert card.review_by == dt.date(2026, 3, 2) + dt.timedelta(days=90)
    assert video.review_by == dt.date(2026, 3, 2) + dt.timedelta(days=180)


def test_it_keeps_a_chosen_review_date(items):
    item = items.make(review_by=dt.date(2027, 1, 1))
    assert item.review_by == dt.date(2027, 1, 1)


def test_it_is_review_due_in_the_grace_period_then_expired(items, settings):
    settings.LIBRARY_REVIEW_GRACE_DAYS = 14
    item = items.make(review_by=dt.date(2026, 3, 1))
    assert item.freshness(dt.date(2026, 3, 1)) == Freshness.CURRENT
    assert item.freshness(dt.date(2026, 3, 2)) == Freshness.REVIEW_DUE
    assert item.freshness(dt.date(2026, 3, 15)) == Freshness.REVIEW_DUE
    assert item.freshness(dt.date(2026, 3, 16)) == Freshness.EXPIRED


def test_it_keeps_every_version_and_serves_the_newest(items, org):
    item = items.make(kind=LibraryItem.Kind.DOCUMENT, card_kind="")
    first = services.item_file_add(
        item=item, file=ContentFile(b"one"), filename="Pricing.pdf", by=org.admin
    )
    second = services.item_file_add(
        item=item, file=ContentFile(b"two!"), filename="Pricing v2.pdf", by=org.admin
    )
    assert (first.version, second.version) == (1, 2)
    assert item.current_file() == second
    assert storages["private"].open(first.name).read() == b"one"
    assert storages["private"].open(second.name).read() == b"two!"
    assert item.files.count() == 2


@pytest.mark.parametrize("filename", ["deck.pptm", "macro.docm", "bomb.zip", "x.exe"])
def test_it_refuses_files_of_other_kinds(items, filename):
    item = items.make(kind=LibraryItem.Kind.DOCUMENT, card_kind="")
    with pytest.raises(ValidationError):
        services.item_file_add(
            item=item, file=ContentFile(b"x"), filename=filename, by=None
        )
    assert not item.files.exists()


def test_it_refuses_files_above_the_upload_cap(items, settings):
    settings.UPLOAD_MAX_BYTES = 3
    item = items.make(kind=LibraryItem.Kind.DOCUMENT, card_kind="")
    with pytest.raises(ValidationError, match="larger than"):
        services.item_file_add(
            item=item, file=ContentFile(b"four"), filename="a.pdf", by=None
        )


def test_it_shows_items_to_their_audience_and_subteams_only(items, org):
    items.make(title="For all")
    americas = items.make(title="Americas only", teams=[org.americas])
    east = items.make(title="East only", teams=[org.east])
    archived = items.make(title="Gone")
    LibraryItem.objects.filter(pk=archived.pk).update(archived_at="2026-01-01T00:00Z")

    def titles(person):
        return set(selectors.items_visible_to(person).values_list("title", flat=True))

    assert titles(org.rep_east) == {"For all", "Americas only", "East only"}
    assert titles(org.rep_west) == {"For all", "Americas only"}
    assert titles(org.rep_north) == {"For all"}
    assert titles(org.loner) == {"For all"}
    assert titles(org.admin) == {"For all", "Americas only", "East only"}
    # The owner always sees their own items.
    east.owner = org.rep_north
    east.save()
    assert "East only" in titles(org.rep_north)
    assert americas.pk not in selectors.items_visible_to(org.rep_north).values_list(
        "pk", flat=True
    )


def _post(owner, **more):
    data = {
        "kind": "document",
        "card_kind": "",
        "title": "Pricing one-pager",
        "summary": "List prices and discounts.",
        "url": "",
        "product": "Onramp Cloud",
        "deal_stage": "proposal",
        "persona": "",
        "competitor": "",
        "audience_everyone": "on",
        "owner": str(owner.pk),
        "review_by": "",
        "shareable": "on",
        "downloadable": "on",
    }
    data.update(more)
    return data


def test_an_admin_authors_a_document_with_its_file(client, org, items):
    client.force_login(org.admin)
    response = client.post(
        reverse(ADD_URL),
        {
            **_post(items.owner),
            "new_file": SimpleUploadedFile("pricing.pdf", b"%PDF-1.4 fake"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    item = LibraryItem.objects.get(title="Pricing one-pager")
    assert item.current_file().original_filename == "pricing.pdf"
    assert item.review_by is not None
    edit = client.get(
        reverse("wagtailsnippets_library_libraryitem:edit", args=[item.pk])
    )
    assert "v1 · pricing.pdf" in edit.content.decode()


def test_the_admin_form_says_what_a_document_lacks(client, org, items):
    client.force_login(org.admin)
    response = client.post(reverse(ADD_URL), _post(items.owner, audience_everyone=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert "A document needs its file." in html
    assert "Choose the teams, or let everyone see it." in html
    assert not LibraryItem.objects.exists()


@pytest.mark.parametrize("person", ["rep_east", "east_manager", "loner"])
def test_it_keeps_everyone_else_out_of_the_library_admin(client, org, items, person):
    client.force_login(org[person])
    assert client.get(reverse(ADD_URL)).status_code == 302
    client.post(reverse(ADD_URL), _post(items.owner))
    assert not LibraryItem.objects.exists()


def test_it_keeps_anonymous_people_out_of_the_library_admin(client):
    response = client.get(reverse(ADD_URL))
    assert response.status_code == 302
    assert "/login" in response["Location"]
