from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from library import services
from library.models import LibraryItem, ShareLink, ShareOpen

PROSPECT = {
    "prospect_name": "Jane Prospect",
    "prospect_email": "Jane@Acme.example",
    "prospect_company": "Acme",
    "crm_opportunity_id": "006XYZ",
    "days": "30",
}


def _case_study(items, org, **fields):
    fields.setdefault("title", "Case study: Acme")
    item = items.make(
        kind=LibraryItem.Kind.DOCUMENT, card_kind="", shareable=True, **fields
    )
    services.item_file_add(
        item=item, file=ContentFile(b"%PDF case"), filename="acme.pdf", by=org.admin
    )
    return item


def _share(item, rep, **more):
    data = {k: v for k, v in PROSPECT.items() if k != "days"}
    data.update(more)
    return services.share_link_create(item=item, rep=rep, **data)


def test_a_rep_shares_an_item_and_sees_the_link(client, org, items, time_machine):
    time_machine.move_to("2026-03-02 09:00Z", tick=False)
    item = _case_study(items, org)
    client.force_login(org.rep_east)
    assert (
        "Share with a prospect"
        in client.get(reverse("library_item", args=[item.pk])).content.decode()
    )
    response = client.post(reverse("library_share", args=[item.pk]), PROSPECT)
    assert response.status_code == 302
    link = ShareLink.objects.get()
    assert len(link.token) >= 43  # 32 random bytes
    assert (link.rep, link.prospect_email, link.crm_opportunity_id) == (
        org.rep_east,
        "jane@acme.example",
        "006XYZ",
    )
    assert link.expires_at == link.created_at + dt.timedelta(days=30)
    html = client.get(reverse("library_shared")).content.decode()
    assert f"/s/{link.token}/" in html
    assert "Jane Prospect, Acme" in html and "not yet" in html


def test_it_refuses_to_share_what_may_not_leave_or_has_expired(
    client, org, items, time_machine, settings
):
    time_machine.move_to("2026-06-01 09:00Z", tick=False)
    internal = items.make(title="Internal", shareable=False)
    expired = _case_study(items, org, title="Old", review_by=dt.date(2026, 1, 1))
    client.force_login(org.rep_east)
    for item in (internal, expired):
        page = client.get(reverse("library_item", args=[item.pk])).content.decode()
        assert "Share with a prospect" not in page
        client.post(reverse("library_share", args=[item.pk]), PROSPECT)
        with pytest.raises(services.LibraryRefused):
            _share(item, org.rep_east)
    assert not ShareLink.objects.exists()


def test_a_rep_outside_the_audience_cannot_share(client, org, items):
    item = _case_study(items, org, teams=[org.east])
    client.force_login(org.rep_north)
    assert (
        client.post(reverse("library_share", args=[item.pk]), PROSPECT).status_code
        == 404
    )
    with pytest.raises(services.LibraryRefused):
        _share(item, org.rep_north)
    assert not ShareLink.objects.exists()


def test_anonymous_people_cannot_make_links(client, org, items):
    item = _case_study(items, org)
    response = client.post(reverse("library_share", args=[item.pk]), PROSPECT)
    assert response.status_code == 302
    assert client.get(reverse("library_shared")).status_code == 302
    assert not ShareLink.objects.exists()


def test_the_prospect_sees_only_the_content_and_the_rep_is_told_once(
    client,
    org,
    items,
    mailoutbox,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    item = _case_study(
        items,
        org,
        summary="How Acme ramped in half the time.",
        product="Secret product",
        competitor="Globex",
    )
    services.item_flag(item=item, by=org.rep_west, reason="other", note="Flag text")
    link = _share(item, org.rep_east)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        with django_assert_max_num_queries(5):
            response = client.get(f"/s/{link.token}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Case study: Acme" in html and "Download acme.pdf" in html
    for internal in ("Olive Owner", "Secret product", "Globex", "Flag text", "Library"):
        assert internal not in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    assert [m.to for m in mailoutbox] == [[org.rep_east.email]]
    assert mailoutbox[0].subject == "Jane Prospect (Acme) opened “Case study: Acme”"
    with django_capture_on_commit_callbacks(execute=True):
        with django_assert_max_num_queries(5):
            client.get(f"/s/{link.token}/")
    assert len(mailoutbox) == 1
    download = client.get(f"/s/{link.token}/download/")
    assert b"".join(download.streaming_content) == b"%PDF case"
    opens = ShareOpen.objects.filter(link=link)
    assert sorted(opens.values_list("action", flat=True)) == [
        "download",
        "open",
        "open",
    ]
    assert all(len(o.visitor) == 32 and "127.0.0.1" not in o.visitor for o in opens)
    client.force_login(org.rep_east)
    row = client.get(reverse("library_shared")).context["rows"][0]
    assert row.opens == 2 and row.last_open is not None


def test_it_offers_no_download_when_the_item_does_not_allow_it(client, org, items):
    item = _case_study(items, org, downloadable=False)
    link = _share(item, org.rep_east)
    assert "Download" not in client.get(f"/s/{link.token}/").content.decode()
    assert client.get(f"/s/{link.token}/download/").status_code == 404


def test_unknown_tokens_answer_404_and_revoked_or_expired_410(
    client, org, items, time_machine
):
    time_machine.move_to("2026-03-02 09:00Z", tick=False)
    item = _case_study(items, org)
    revoked = _share(item, org.rep_east)
    expired = _share(item, org.rep_east)
    kept = _share(item, org.rep_east)
    client.force_login(org.rep_east)
    client.post(reverse("library_share_revoke", args=[revoked.pk]))
    client.logout()
    ShareLink.objects.filter(pk=expired.pk).update(
        expires_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    )
    assert client.get("/s/" + "x" * 43 + "/").status_code == 404
    assert client.get(f"/s/{revoked.token}/").status_code == 410
    assert client.get(f"/s/{revoked.token}/download/").status_code == 410
    assert client.get(f"/s/{expired.token}/").status_code == 410
    assert client.get(f"/s/{kept.token}/").status_code == 200
    assert ShareOpen.objects.filter(link__in=[revoked, expired]).count() == 0


def test_links_to_archived_or_expired_items_stop(client, org, items, time_machine):
    time_machine.move_to("2026-03-02 09:00Z", tick=False)
    item = _case_study(items, org, review_by=dt.date(2026, 3, 10))
    link = _share(item, org.rep_east)
    time_machine.move_to("2026-04-02 09:00Z", tick=False)
    assert client.get(f"/s/{link.token}/").status_code == 410
    time_machine.move_to("2026-03-02 10:00Z", tick=False)
    services.item_archive(item=item)
    assert client.get(f"/s/{link.token}/").status_code == 410


def test_only_the_rep_revokes_their_link(client, org, items):
    link = _share(_case_study(items, org), org.rep_east)
    client.force_login(org.rep_east2)
    assert (
        client.post(reverse("library_share_revoke", args=[link.pk])).status_code == 404
    )
    assert "Jane" not in client.get(reverse("library_shared")).content.decode()
    link.refresh_from_db()
    assert link.revoked_at is None


def test_it_rate_limits_opens(client, org, items, settings):
    settings.LIBRARY_SHARE_RATE_PER_MINUTE = 2
    link = _share(_case_study(items, org), org.rep_east)
    assert client.get(f"/s/{link.token}/").status_code == 200
    assert client.get(f"/s/{link.token}/").status_code == 200
    response = client.get(f"/s/{link.token}/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert ShareOpen.objects.count() == 2
