"""The sync through the real hubspot-api-client against the local HubSpot fake."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

import pytest

from integrations.crm.sync import crm_sync
from integrations.models import (
    CrmActivity,
    CrmConnection,
    CrmDeal,
    CrmOwner,
    CrmSyncCursor,
    CrmSyncLog,
)
from lms.lib.crypto import seal

TOKEN = "pat-na1-good-token"
T0 = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)


def day(n: int) -> dt.datetime:
    return T0 + dt.timedelta(days=n)


@pytest.fixture
def connection(org) -> CrmConnection:  # type: ignore[no-untyped-def]
    return CrmConnection.objects.create(
        name="HubSpot",
        kind=CrmConnection.Kind.HUBSPOT,
        credentials_sealed=seal({"access_token": TOKEN}),
        created_by=org.admin,
    )


@pytest.fixture
def crm(hubspot_fake, org):  # type: ignore[no-untyped-def]
    """Two owners who are reps here, one nobody knows; deals and activities."""
    state = hubspot_fake.state
    state.add_owner("11", org.rep_east.email.upper(), "Rae", "East")
    state.add_owner("12", org.rep_west.email, "Wes", "West")
    state.add_owner("13", "stranger@elsewhere.example", "Sam", "Stranger")
    state.put_deal(
        "1001", owner="11", amount="12500.50", created=day(0), closed=day(30),
        won=True, modified=day(30),
    )  # fmt: skip
    state.put_deal(
        "1002", owner="11", amount="900", created=day(5), closed=day(20),
        won=False, modified=day(20), currency="EUR",
    )  # fmt: skip
    state.put_deal(
        "1003", owner="12", amount=None, created=day(10), closed=None,
        won=False, modified=day(10),
    )  # fmt: skip
    state.put_deal(
        "1004", owner="13", amount="300", created=day(1), closed=day(2),
        won=True, modified=day(2),
    )  # fmt: skip
    state.put_activity("calls", "2001", owner="11", at=day(1), modified=day(1))
    state.put_activity("meetings", "3001", owner="11", at=day(2), modified=day(2))
    state.put_activity("emails", "4001", owner="12", at=day(3), modified=day(3))
    return state


def _sync(connection: CrmConnection, sleeps: list[float] | None = None) -> CrmSyncLog:
    return crm_sync(
        connection=connection,
        sleep=(sleeps.append if sleeps is not None else lambda seconds: None),
    )


def test_the_first_sync_stores_deals_activities_and_owners(connection, crm, org):
    log = _sync(connection)
    assert log.status == CrmSyncLog.Status.SUCCEEDED, log.error
    assert (log.created, log.updated, log.deleted, log.skipped) == (7, 0, 0, 0)
    won = CrmDeal.objects.get(crm_id="1001")
    assert won.outcome == CrmDeal.Outcome.WON and won.user == org.rep_east
    assert won.amount == Decimal("12500.50") and won.currency == "USD"
    assert (won.created_on, won.closed_on) == (day(0).date(), day(30).date())
    assert won.stage == "closedwon"
    lost = CrmDeal.objects.get(crm_id="1002")
    assert (lost.outcome, lost.currency, lost.amount) == ("lost", "EUR", Decimal("900"))
    open_deal = CrmDeal.objects.get(crm_id="1003")
    assert open_deal.outcome == "open" and open_deal.user == org.rep_west
    assert CrmDeal.objects.get(crm_id="1004").user is None
    assert set(CrmActivity.objects.values_list("kind", "crm_id", "user")) == {
        ("call", "2001", org.rep_east.pk),
        ("meeting", "3001", org.rep_east.pk),
        ("email", "4001", org.rep_west.pk),
    }
    unmatched = CrmOwner.objects.get(user=None)
    assert unmatched.email == "stranger@elsewhere.example"
    cursor = CrmSyncCursor.objects.get(connection=connection, object_type="deals")
    assert cursor.modified_since == day(30)


def test_a_second_sync_asks_only_for_what_changed_and_changes_nothing(
    connection, crm, hubspot_fake
):
    _sync(connection)
    hubspot_fake.state.requests.clear()
    log = _sync(connection)
    assert (log.created, log.updated, log.deleted, log.skipped) == (0, 0, 0, 0)
    assert CrmDeal.objects.count() == 4
    posts = [
        path for method, path, _ in hubspot_fake.state.requests if method == "POST"
    ]
    # One search per object type (each from its cursor, so the newest record of
    # each comes again) and the companies of the one deal read again.
    assert sorted(posts) == [
        "/crm/v3/objects/calls/search",
        "/crm/v3/objects/deals/search",
        "/crm/v3/objects/emails/search",
        "/crm/v3/objects/meetings/search",
        "/crm/v4/associations/deals/companies/batch/read",
    ]


def test_an_incremental_sync_updates_a_changed_deal_by_its_crm_id(connection, crm):
    _sync(connection)
    crm.put_deal(
        "1003", owner="12", amount="4000", created=day(10), closed=day(40),
        won=True, modified=day(40),
    )  # fmt: skip
    crm.put_deal(
        "1005", owner="12", amount="10", created=day(39), closed=None,
        won=False, modified=day(41),
    )  # fmt: skip
    log = _sync(connection)
    assert (log.created, log.updated) == (1, 1)
    deal = CrmDeal.objects.get(crm_id="1003")
    assert (deal.outcome, deal.amount, deal.closed_on) == (
        "won",
        Decimal("4000.00"),
        day(40).date(),
    )
    assert CrmDeal.objects.count() == 5


def test_crm_deletions_become_deletions(connection, crm):
    _sync(connection)
    crm.archive("deals", "1002", day(50))
    crm.archive("calls", "2001", day(50))
    log = _sync(connection)
    assert log.deleted == 2
    assert not CrmDeal.objects.filter(crm_id="1002").exists()
    assert not CrmActivity.objects.filter(crm_id="2001").exists()
    assert CrmDeal.objects.count() == 3


def test_malformed_records_are_skipped_with_the_reason_and_the_rest_synced(
    connection, crm
):
    crm.put_deal(
        "1101", owner="11", amount="lots", created=day(0), closed=day(3),
        won=True, modified=day(3),
    )  # fmt: skip
    crm.put_deal(
        "1102", owner="11", amount="10", created=day(0), closed=day(3),
        won=True, modified=day(3), currency="dollars",
    )  # fmt: skip
    crm.put_deal(
        "1103", owner="11", amount="10", created=day(0), closed=None,
        won=True, modified=day(3),
    )  # fmt: skip
    crm.objects["deals"]["1103"]["properties"]["hs_is_closed"] = "true"
    crm.put_deal(
        "1104", owner="11", amount=None, created=day(0), closed=day(3),
        won=True, modified=day(3),
    )  # fmt: skip
    crm.put_activity("calls", "2101", owner="11", at=day(1), modified=day(1))
    crm.objects["calls"]["2101"]["properties"]["hs_timestamp"] = "yesterday"
    log = _sync(connection)
    assert log.status == CrmSyncLog.Status.SUCCEEDED
    assert log.skipped == 5
    assert sorted(log.problems) == [
        "call 2101: hs_timestamp 'yesterday' is not a date and time",
        "deal 1101: amount 'lots' is not a number",
        "deal 1102: currency 'dollars' is not an ISO 4217 code",
        "deal 1103: no closedate",
        "deal 1104: a won deal without an amount",
    ]
    assert CrmDeal.objects.count() == 4 and CrmActivity.objects.count() == 3


def test_a_429_storm_is_waited_out_and_nothing_is_lost(connection, crm, hubspot_fake):
    hubspot_fake.state.rate_limit_next = 5
    sleeps: list[float] = []
    log = _sync(connection, sleeps)
    assert log.status == CrmSyncLog.Status.SUCCEEDED, log.error
    assert sleeps == [0.5, 1.0, 2.0, 4.0, 8.0]
    assert CrmDeal.objects.count() == 4 and CrmActivity.objects.count() == 3


def test_a_storm_longer_than_the_retries_stops_the_sync_and_the_next_one_finishes(
    connection, crm, hubspot_fake
):
    _sync(connection)
    crm.put_deal(
        "1005", owner="12", amount="10", created=day(39), closed=None,
        won=False, modified=day(41),
    )  # fmt: skip
    hubspot_fake.state.rate_limit_next = 1000
    log = _sync(connection)
    assert log.status == CrmSyncLog.Status.FAILED
    assert log.error.startswith("HubSpot answered 429")
    assert CrmDeal.objects.count() == 4
    hubspot_fake.state.rate_limit_next = 0
    assert _sync(connection).created == 1
    assert CrmDeal.objects.count() == 5


def test_a_garbage_answer_stops_the_sync_with_an_error_and_loses_nothing(
    connection, crm, hubspot_fake
):
    hubspot_fake.state.garbage_for = "meetings"
    log = _sync(connection)
    assert log.status == CrmSyncLog.Status.FAILED
    assert "not JSON" in log.error
    assert CrmDeal.objects.count() == 4
    assert set(CrmActivity.objects.values_list("kind", flat=True)) == {"call"}
    hubspot_fake.state.garbage_for = None
    log = _sync(connection)
    assert log.status == CrmSyncLog.Status.SUCCEEDED
    assert log.created == 2 and CrmActivity.objects.count() == 3


def test_the_token_never_reaches_the_logs_even_at_debug_level(connection, crm, caplog):
    caplog.set_level(logging.DEBUG)
    log = _sync(connection)
    assert log.status == CrmSyncLog.Status.SUCCEEDED
    assert TOKEN not in caplog.text


def test_a_revoked_token_needs_re_authorisation_and_the_admin_hears_once(
    connection, crm, hubspot_fake, mailoutbox
):
    hubspot_fake.state.tokens.clear()
    log = _sync(connection)
    assert log.status == CrmSyncLog.Status.FAILED
    assert log.error.startswith("HubSpot answered 401: INVALID_AUTHENTICATION")
    assert TOKEN not in log.error
    connection.refresh_from_db()
    assert connection.status == CrmConnection.Status.NEEDS_REAUTHORISATION
    assert [m.to for m in mailoutbox] == [[connection.created_by.email]]
    assert "Reconnect HubSpot" in mailoutbox[0].subject
    assert TOKEN not in mailoutbox[0].body
    _sync(connection)
    assert len(mailoutbox) == 1


def test_deals_page_through_search_past_its_ten_thousand_result_limit(
    connection, hubspot_fake, monkeypatch
):
    from integrations.crm import hubspot

    monkeypatch.setattr(hubspot, "SEARCH_RESULT_LIMIT", 3)
    monkeypatch.setattr(hubspot, "PAGE_SIZE", 2)
    for n in range(7):
        hubspot_fake.state.put_deal(
            str(5000 + n), owner="11", amount="1", created=day(0),
            closed=day(1), won=True, modified=day(n),
        )  # fmt: skip
    log = _sync(connection)
    assert log.status == CrmSyncLog.Status.SUCCEEDED, log.error
    assert CrmDeal.objects.count() == 7
