from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from dashboards.models import SalesOutcome
from library import metrics, services
from library.models import ShareOpen


def _link(items, rep, email, item=None):
    item = item or items.make(title="Case study", shareable=True)
    return services.share_link_create(
        item=item,
        rep=rep,
        prospect_name=email.split("@")[0],
        prospect_email=email,
        prospect_company="Acme",
    )


def _open(link, at):
    ShareOpen.objects.create(link=link, action="open", at=at, visitor="v")


NOW = dt.datetime(2026, 3, 31, 12, tzinfo=dt.UTC)


def test_engaged_prospects_counts_distinct_prospects_who_opened_in_the_period(
    org, items
):
    item = items.make(title="Case study", shareable=True)
    jane = _link(items, org.rep_east, "jane@acme.example", item)
    jane_again = _link(items, org.rep_east, "jane@acme.example", item)
    bob = _link(items, org.rep_east, "bob@acme.example", item)
    never = _link(items, org.rep_east, "never@acme.example", item)
    old = _link(items, org.rep_east, "old@acme.example", item)
    west = _link(items, org.rep_west, "wes@beta.example", item)
    _open(jane, NOW - dt.timedelta(days=1))
    _open(jane_again, NOW - dt.timedelta(days=2))
    _open(bob, NOW - dt.timedelta(days=3))
    _open(old, NOW - dt.timedelta(days=40))
    _open(west, NOW - dt.timedelta(days=1))
    ShareOpen.objects.create(link=never, action="download", at=NOW, visitor="v")
    counts = metrics.engaged_prospects(
        rep_ids=[org.rep_east.pk, org.rep_west.pk, org.rep_north.pk],
        since=NOW - dt.timedelta(days=30),
        until=NOW,
    )
    assert counts == {org.rep_east.pk: 2, org.rep_west.pk: 1}


def test_the_rep_start_page_and_my_team_show_engaged_prospects(
    client, org, items, time_machine
):
    time_machine.move_to(NOW, tick=False)
    link = _link(items, org.rep_east, "jane@acme.example")
    _open(link, NOW - dt.timedelta(hours=1))
    client.force_login(org.rep_east)
    start = client.get("/").content.decode()
    assert "<span data-engaged-prospects>1</span> in the last 30 days" in start
    client.force_login(org.east_manager)
    response = client.get(reverse("team_overview"))
    rows = {row.person.full_name: row for row in response.context["page"].object_list}
    assert rows["Rae East"].engaged_prospects == 1
    assert rows["Reid East"].engaged_prospects == 0
    assert "Engaged prospects" in response.content.decode()
    export = client.get(reverse("team_export_csv"))
    text = b"".join(export.streaming_content).decode()
    table = list(csv.reader(io.StringIO(text)))
    column = table[0].index("Engaged prospects (30 days)")
    by_name = {line[0]: line[column] for line in table[1:]}
    assert by_name["Rae East"] == "1" and by_name["Reid East"] == "0"


def _engaged_on_start_page(client) -> str:
    page = client.get("/").content.decode()
    return page.split("<span data-engaged-prospects>")[1].split("</span>")[0]


def test_the_start_page_counts_a_new_open_at_once(client, org, items, time_machine):
    """The start page is kept rendered per person: a prospect's open changes it."""
    time_machine.move_to(NOW, tick=False)
    client.force_login(org.rep_east)
    assert _engaged_on_start_page(client) == "0"
    _open(
        _link(items, org.rep_east, "jane@acme.example"), NOW - dt.timedelta(minutes=1)
    )
    assert _engaged_on_start_page(client) == "1"


def test_the_start_page_drops_a_prospect_when_their_open_leaves_the_window(
    client, org, items, time_machine
):
    rep = org.rep_east
    rep.time_zone = "UTC"
    rep.save()
    time_machine.move_to(NOW, tick=False)
    leaves_at = NOW + dt.timedelta(hours=2)  # the same day: the day does not renew it
    jane = _link(items, rep, "jane@acme.example")
    _open(jane, leaves_at - dt.timedelta(days=metrics.ENGAGED_PROSPECTS_DAYS))
    _open(_link(items, rep, "bob@acme.example"), NOW - dt.timedelta(days=2))
    client.force_login(rep)
    assert _engaged_on_start_page(client) == "2"
    time_machine.move_to(leaves_at - dt.timedelta(seconds=1), tick=False)
    assert _engaged_on_start_page(client) == "2"
    time_machine.move_to(leaves_at + dt.timedelta(seconds=1), tick=False)
    assert _engaged_on_start_page(client) == "1"


def test_item_usage_counts_views_viewers_downloads_shares_and_opens(client, org, items):
    used = items.make(title="Used", shareable=True)
    items.make(title="Unused")
    client.force_login(org.rep_east)
    client.get(reverse("library_item", args=[used.pk]))
    client.get(reverse("library_item", args=[used.pk]))
    client.force_login(org.rep_west)
    client.get(reverse("library_item", args=[used.pk]))
    link = _link(items, org.rep_east, "jane@acme.example", used)
    client.logout()
    client.get(f"/s/{link.token}/")
    usage = {row.item.title: row for row in metrics.item_usage()}
    assert (
        usage["Used"].views,
        usage["Used"].unique_viewers,
        usage["Used"].downloads,
        usage["Used"].shares,
        usage["Used"].prospect_opens,
    ) == (3, 2, 0, 1, 1)
    assert usage["Unused"].total == 0


def test_admins_get_the_usage_report_and_its_csv(client, org, items):
    used = items.make(title="Used")
    items.make(title="=cmd|' /C calc'!A0")
    client.force_login(org.rep_east)
    client.get(reverse("library_item", args=[used.pk]))
    client.force_login(org.admin)
    response = client.get(reverse("library_usage"))
    assert [row.item.title for row in response.context["most_used"]] == ["Used"]
    assert [row.item.title for row in response.context["never_used"]] == [
        "=cmd|' /C calc'!A0"
    ]
    export = client.get(reverse("library_usage"), {"format": "csv", "days": "0"})
    lines = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert lines[0][:5] == ["Item", "Kind", "Owner", "Review by", "Views"]
    assert ["'=cmd|' /C calc'!A0", "0"] == [lines[1][0], lines[1][4]]
    assert [lines[2][0], lines[2][4]] == ["Used", "1"]


@pytest.mark.parametrize("person", ["rep_east", "east_manager", "owner"])
def test_nobody_else_sees_the_usage_report(client, org, items, person):
    client.force_login(items.owner if person == "owner" else org[person])
    assert client.get(reverse("library_usage")).status_code == 403


def test_anonymous_people_are_sent_to_sign_in_for_the_report(client):
    assert client.get(reverse("library_usage")).status_code == 302


def test_the_person_page_and_ramp_analytics_show_engaged_prospects(
    client, org, items, time_machine
):
    time_machine.move_to(NOW, tick=False)
    _open(_link(items, org.rep_east, "jane@acme.example"), NOW - dt.timedelta(days=2))
    _open(_link(items, org.rep_east, "bob@acme.example"), NOW - dt.timedelta(days=3))
    _open(_link(items, org.rep_east, "old@acme.example"), NOW - dt.timedelta(days=40))
    for rep in (org.rep_east, org.rep_east2):
        SalesOutcome.objects.create(
            user=rep,
            month=dt.date(2026, 2, 1),
            opportunities=10,
            deals_won=2,
            revenue=Decimal("9000"),
            quota=Decimal("10000"),
        )
    client.force_login(org.east_manager)
    page = client.get(reverse("person_detail", args=[org.rep_east.pk]))
    assert page.context["engaged_prospects"] == 2
    assert "Engaged prospects (30 days)</dt><dd>2</dd>" in page.content.decode()
    response = client.get(reverse("ramp_analytics"))
    by_rep = {
        rep.person: rep.engaged_prospects for rep in response.context["analytics"].reps
    }
    assert by_rep == {org.rep_east: 2, org.rep_east2: 0}
    assert "Engaged prospects (30 days)" in response.content.decode()


def test_a_rep_sees_no_other_persons_engaged_prospects(client, org, items):
    client.force_login(org.rep_east2)
    assert (
        client.get(reverse("person_detail", args=[org.rep_east.pk])).status_code == 404
    )
