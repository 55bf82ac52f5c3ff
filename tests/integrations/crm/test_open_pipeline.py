from __future__ import annotations

import datetime as dt

from integrations.crm.selectors import month_starts, open_pipeline_by_owner
from integrations.models import CrmConnection, CrmDeal, CrmOwner
from lms.lib.crypto import seal

MODIFIED = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)


def _deal(connection, crm_id, owner, created, closed=None, outcome="open"):  # type: ignore[no-untyped-def]
    CrmDeal.objects.create(
        connection=connection,
        crm_id=crm_id,
        owner_crm_id=owner,
        outcome=outcome,
        currency="USD",
        created_on=created,
        closed_on=closed,
        modified_at=MODIFIED,
    )


def _connection() -> CrmConnection:
    return CrmConnection.objects.create(
        name="HubSpot", kind="hubspot", credentials_sealed=seal({"access_token": "x"})
    )


def test_month_starts_cross_a_new_year():
    assert month_starts(last=dt.date(2026, 2, 17), count=3) == [
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
    ]


def test_a_deal_counts_in_every_month_it_was_open(db):
    connection = _connection()
    _deal(connection, "1", "11", dt.date(2026, 1, 20))  # still open
    _deal(connection, "2", "11", dt.date(2026, 2, 3), dt.date(2026, 3, 1), "won")
    _deal(connection, "3", "11", dt.date(2025, 11, 3), dt.date(2025, 12, 31), "lost")
    _deal(connection, "4", "12", dt.date(2026, 3, 31))
    months = month_starts(last=dt.date(2026, 3, 10), count=3)
    counts = open_pipeline_by_owner(connection=connection, months=months)
    assert [counts[("11", m)] for m in months] == [1, 2, 2]
    assert [counts[("12", m)] for m in months] == [0, 0, 1]


def test_the_owners_page_shows_open_pipeline_per_month(client, org, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC), tick=False)
    connection = _connection()
    CrmOwner.objects.create(connection=connection, crm_id="11", email="a@x.example")
    _deal(connection, "1", "11", dt.date(2026, 1, 20))
    client.force_login(org.admin)
    response = client.get(f"/integrations/crm/{connection.pk}/owners/")
    assert response.status_code == 200
    owner = response.context["owners"][0]
    assert owner.open_by_month == [0, 0, 0, 1, 1, 1]
    assert "Open Mar 2026" in response.content.decode()
