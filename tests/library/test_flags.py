from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from library import notices, services
from library.models import ItemFlag, LibraryItem


def _flag(client, item, **data):
    return client.post(reverse("library_flag", args=[item.pk]), data)


def test_a_rep_flags_an_item_and_its_owner_is_told(
    client, org, items, mailoutbox, django_capture_on_commit_callbacks
):
    item = items.make(title="Pricing one-pager")
    client.force_login(org.rep_east)
    with django_capture_on_commit_callbacks(execute=True):
        response = _flag(client, item, reason="wrong_pricing", note="Seats are $49 now")
    assert response.status_code == 302
    flag = ItemFlag.objects.get()
    assert (flag.flagged_by, flag.reason, flag.note) == (
        org.rep_east,
        "wrong_pricing",
        "Seats are $49 now",
    )
    assert [m.to for m in mailoutbox] == [[items.owner.email]]
    assert "“Pricing one-pager” was flagged as outdated" == mailoutbox[0].subject
    assert "Seats are $49 now" in mailoutbox[0].body
    assert notices.flag_raised_notify(flag_id=flag.pk) is False


def test_it_refuses_a_flag_without_a_reason(client, org, items):
    item = items.make()
    client.force_login(org.rep_east)
    response = _flag(client, item, reason="", note="wrong")
    assert response.status_code == 400
    assert "Say why the item is outdated." in response.content.decode()
    with pytest.raises(ValidationError):
        services.item_flag(item=item, by=org.rep_east, reason="", note="")
    assert not ItemFlag.objects.exists()


def test_it_refuses_flags_from_outside_the_audience(client, org, items):
    item = items.make(teams=[org.east])
    client.force_login(org.rep_north)
    assert _flag(client, item, reason="other").status_code == 404
    with pytest.raises(services.LibraryRefused):
        services.item_flag(item=item, by=org.rep_north, reason="other", note="")
    assert not ItemFlag.objects.exists()


def test_anonymous_people_cannot_flag_or_see_the_queue(client, items):
    item = items.make()
    assert _flag(client, item, reason="other").status_code == 302
    assert client.get(reverse("library_flags")).status_code == 302
    assert not ItemFlag.objects.exists()


@pytest.mark.parametrize(
    ("resolution", "outcome"),
    [
        ("updated", "the item is updated"),
        ("archived", "the item is archived"),
        ("dismissed", "the flag was dismissed"),
    ],
)
def test_the_owner_resolves_a_flag_and_the_flagger_is_told(
    client,
    org,
    items,
    mailoutbox,
    django_capture_on_commit_callbacks,
    time_machine,
    resolution,
    outcome,
):
    time_machine.move_to("2026-03-02 09:00Z", tick=False)
    item = items.make(title="Versus Globex", review_by=dt.date(2026, 3, 1))
    flag = services.item_flag(item=item, by=org.rep_east, reason="other", note="")
    client.force_login(items.owner)
    queue = client.get(reverse("library_flags")).content.decode()
    assert "Versus Globex" in queue and "Rae East" in queue
    mailoutbox.clear()
    time_machine.move_to("2026-03-03 09:00Z", tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("library_flag_resolve", args=[flag.pk]),
            {
                f"flag{flag.pk}-resolution": resolution,
                f"flag{flag.pk}-note": "Thanks, fixed the table.",
            },
        )
    assert response.status_code == 302
    flag.refresh_from_db()
    item.refresh_from_db()
    assert (flag.resolution, flag.resolved_by, flag.resolution_note) == (
        resolution,
        items.owner,
        "Thanks, fixed the table.",
    )
    assert flag.resolved_at.isoformat() == "2026-03-03T09:00:00+00:00"
    assert [m.to for m in mailoutbox] == [[org.rep_east.email]]
    assert outcome in mailoutbox[0].body
    assert "Thanks, fixed the table." in mailoutbox[0].body
    if resolution == "updated":
        assert item.review_by == dt.date(2026, 3, 3) + dt.timedelta(days=90)
    else:
        assert item.review_by == dt.date(2026, 3, 1)
    assert (item.archived_at is not None) == (resolution == "archived")
    assert "No open flags." in client.get(reverse("library_flags")).content.decode()


def test_an_admin_resolves_any_flag(client, org, items):
    item = items.make()
    flag = services.item_flag(item=item, by=org.rep_east, reason="other", note="")
    client.force_login(org.admin)
    assert "Versus Globex" in client.get(reverse("library_flags")).content.decode()
    client.post(
        reverse("library_flag_resolve", args=[flag.pk]),
        {
            f"flag{flag.pk}-resolution": "dismissed",
            f"flag{flag.pk}-note": "Still right",
        },
    )
    flag.refresh_from_db()
    assert flag.resolved_by == org.admin


@pytest.mark.parametrize("person", ["rep_east", "east_manager"])
def test_nobody_else_resolves_or_sees_flags(client, org, items, person):
    item = items.make()
    flag = services.item_flag(item=item, by=org.rep_east, reason="other", note="")
    client.force_login(org[person])
    assert client.get(reverse("library_flags")).status_code == 403
    response = client.post(
        reverse("library_flag_resolve", args=[flag.pk]),
        {f"flag{flag.pk}-resolution": "dismissed", f"flag{flag.pk}-note": "no"},
    )
    assert response.status_code == 404
    flag.refresh_from_db()
    assert flag.is_open
    with pytest.raises(services.LibraryRefused):
        services.flag_resolve(
            flag=flag, by=org[person], resolution="dismissed", note="x"
        )


def test_an_owner_sees_only_flags_on_their_own_items(client, org, items):
    mine = items.make(title="Mine")
    other = items.make(title="Someone else's", owner=org.rep_west)
    services.item_flag(item=mine, by=org.rep_east, reason="other", note="")
    services.item_flag(item=other, by=org.rep_east, reason="other", note="")
    client.force_login(org.rep_west)
    html = client.get(reverse("library_flags")).content.decode()
    assert "Someone else&#x27;s" in html and "Mine" not in html


def test_it_refuses_a_resolution_without_a_note(client, org, items):
    item = items.make()
    flag = services.item_flag(item=item, by=org.rep_east, reason="other", note="")
    with pytest.raises(ValidationError):
        services.flag_resolve(flag=flag, by=items.owner, resolution="updated", note=" ")
    client.force_login(items.owner)
    client.post(
        reverse("library_flag_resolve", args=[flag.pk]),
        {f"flag{flag.pk}-resolution": "updated", f"flag{flag.pk}-note": ""},
    )
    flag.refresh_from_db()
    assert flag.is_open


def test_archived_items_leave_the_library(client, org, items):
    item = items.make(title="Old deck")
    flag = services.item_flag(item=item, by=org.rep_east, reason="other", note="")
    services.flag_resolve(flag=flag, by=items.owner, resolution="archived", note="Gone")
    client.force_login(org.rep_east)
    assert client.get(reverse("library_item", args=[item.pk])).status_code == 404
    assert not LibraryItem.objects.live().filter(pk=item.pk).exists()
