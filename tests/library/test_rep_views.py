from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from library import services
from library.models import ItemUse, LibraryItem


def _doc(items, org, **fields):
    item = items.make(kind=LibraryItem.Kind.DOCUMENT, card_kind="", **fields)
    services.item_file_add(
        item=item, file=ContentFile(b"%PDF v1"), filename="deck.pdf", by=org.admin
    )
    services.item_file_add(
        item=item, file=ContentFile(b"%PDF v2"), filename="deck v2.pdf", by=org.admin
    )
    return item


def test_it_sends_anonymous_people_to_sign_in(client, items):
    item = items.make()
    for url in (
        reverse("library_home"),
        reverse("library_item", args=[item.pk]),
        reverse("library_download", args=[item.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_it_finds_items_by_words_in_title_summary_tags_and_text(client, org, items):
    items.make(title="Pricing one-pager", summary="List prices and discounts.")
    items.make(title="Versus Initech", summary="Objections.", competitor="Initech")
    text = items.make(title="Rollout guide", summary="Steps.")
    text.extracted_text = "Security questionnaire answers for procurement."
    text.save()
    client.force_login(org.rep_east)
    html = client.get(reverse("library_home"), {"q": "pricing"}).content.decode()
    assert "Pricing one-pager" in html and "Versus Initech" not in html
    html = client.get(reverse("library_home"), {"q": "initech"}).content.decode()
    assert "Versus Initech" in html and "Pricing one-pager" not in html
    html = client.get(reverse("library_home"), {"q": "questionnaire"}).content.decode()
    assert "Rollout guide" in html
    assert "Security <mark>questionnaire</mark> answers" in html


def test_it_narrows_by_kind_and_stage_with_counts(client, org, items):
    items.make(
        title="Discovery talk track", card_kind="talk_track", deal_stage="discovery"
    )
    items.make(
        title="Proposal e-mail", card_kind="email_template", deal_stage="proposal"
    )
    items.make(
        title="Proposal link",
        kind="link",
        card_kind="",
        url="https://x.test",
        deal_stage="proposal",
    )
    client.force_login(org.rep_east)
    response = client.get(reverse("library_home"), {"stage": "proposal"})
    html = response.content.decode()
    assert "Proposal e-mail" in html and "Proposal link" in html
    assert "Discovery talk track" not in html
    assert [(label, count) for _, label, count in response.context["search"].kinds] == [
        ("Card", 1),
        ("Link", 1),
    ]
    html = client.get(
        reverse("library_home"), {"stage": "proposal", "kind": "link"}
    ).content.decode()
    assert "Proposal link" in html and "Proposal e-mail" not in html


def test_it_escapes_what_it_highlights(client, org, items):
    items.make(title="Odd", summary="<script>alert(1)</script> pricing")
    client.force_login(org.rep_east)
    html = client.get(reverse("library_home"), {"q": "pricing"}).content.decode()
    assert "<mark>pricing</mark>" in html
    assert "<script>alert(1)" not in html


def test_it_hides_expired_items_unless_asked(
    client, org, items, time_machine, settings
):
    time_machine.move_to("2026-06-01 09:00Z", tick=False)
    settings.LIBRARY_REVIEW_GRACE_DAYS = 14
    items.make(title="Old pricing", review_by=dt.date(2026, 5, 1))
    items.make(title="Due pricing", review_by=dt.date(2026, 5, 25))
    client.force_login(org.rep_east)
    html = client.get(reverse("library_home"), {"q": "pricing"}).content.decode()
    assert "Old pricing" not in html
    assert "Due pricing" in html and "Review due" in html
    html = client.get(
        reverse("library_home"), {"q": "pricing", "expired": "1"}
    ).content.decode()
    assert "Old pricing" in html and "Expired" in html


def test_it_hides_items_outside_the_audience_on_every_address(client, org, items):
    east = _doc(items, org, title="East pricing", teams=[org.east])
    client.force_login(org.rep_north)
    html = client.get(reverse("library_home"), {"q": "pricing"}).content.decode()
    assert "East pricing" not in html
    assert client.get(reverse("library_item", args=[east.pk])).status_code == 404
    assert client.get(reverse("library_download", args=[east.pk])).status_code == 404
    assert client.post(reverse("library_copied", args=[east.pk])).status_code == 404
    assert not ItemUse.objects.exists()


@pytest.mark.parametrize("person", ["rep_east", "owner", "admin"])
def test_the_audience_owner_and_admins_open_and_download_the_newest_version(
    client, org, items, person
):
    item = _doc(items, org, title="East deck", teams=[org.east])
    viewer = items.owner if person == "owner" else org[person]
    client.force_login(viewer)
    page = client.get(reverse("library_item", args=[item.pk]))
    assert page.status_code == 200
    assert "Download deck v2.pdf" in page.content.decode()
    download = client.get(reverse("library_download", args=[item.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF v2"
    assert 'filename="deck v2.pdf"' in download["Content-Disposition"]
    assert list(
        ItemUse.objects.filter(user=viewer).values_list("action", flat=True)
    ) == ["view", "download"]


def test_it_shows_a_copy_button_on_cards_and_counts_copies(client, org, items):
    item = items.make(
        title="Follow-up e-mail", card_kind="email_template", body="<p>Hi {name}</p>"
    )
    client.force_login(org.rep_east)
    html = client.get(reverse("library_item", args=[item.pk])).content.decode()
    assert 'data-copy-target="card-text"' in html and "Copy e-mail" in html
    assert "<title>Follow-up e-mail · " in html
    assert html.count('id="flag-heading"') == 1
    assert client.post(reverse("library_copied", args=[item.pk])).status_code == 200
    assert ItemUse.objects.filter(action="copy", user=org.rep_east).count() == 1


def test_it_lists_what_is_new_since_the_last_visit(client, org, items, time_machine):
    time_machine.move_to("2026-03-02 09:00Z", tick=False)
    items.make(title="Old card")
    client.force_login(org.rep_east)
    first = client.get(reverse("library_home"))
    assert first.context["new_items"] == []
    time_machine.move_to("2026-03-03 09:00Z", tick=False)
    items.make(title="Fresh card")
    time_machine.move_to("2026-03-04 09:00Z", tick=False)
    response = client.get(reverse("library_home"))
    assert [item.title for item in response.context["new_items"]] == ["Fresh card"]
    html = response.content.decode()
    assert "New since your last visit" in html and "Recently updated" in html


def test_it_puts_the_library_in_the_navigation(client, org):
    client.force_login(org.rep_east)
    html = client.get(reverse("library_home")).content.decode()
    assert '<a href="/library/" aria-current="page">Library</a>' in html
