"""The sync through the real simple-salesforce client against the local
Salesforce fake (HTTPS, query and queryMore, OAuth refresh, limits)."""

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
    CrmQuota,
    CrmSyncCursor,
    CrmSyncLog,
)
from lms.lib.crypto import seal, unseal
from tests.integrations.crm.salesforce_fake import CLIENT_ID, CLIENT_SECRET

T0 = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)


def day(n: int) -> dt.datetime:
    return T0 + dt.timedelta(days=n)


@pytest.fixture
def connection(org, salesforce_fake) -> CrmConnection:  # type: ignore[no-untyped-def]
    return CrmConnection.objects.create(
        name="Salesforce",
        kind=CrmConnection.Kind.SALESFORCE,
        credentials_sealed=seal(
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "currency": "",
                "instance_url": salesforce_fake.url,
                "api_version": "62.0",
                "refresh_token": salesforce_fake.state.grant(),
            }
        ),
        created_by=org.admin,
    )


@pytest.fixture
def crm(salesforce_fake, org):  # type: ignore[no-untyped-def]
    """Two users who are reps here and one nobody knows; opportunities, tasks,
    events and quotas; batches of two, so that every object needs queryMore."""
    state = salesforce_fake.state
    state.batch_size = 2
    state.put_user("005A1", org.rep_east.email.upper(), "Rae", "East")
    state.put_user("005A2", org.rep_west.email, "Wes", "West")
    state.put_user("005A3", "stranger@elsewhere.example", "Sam", "Stranger")
    state.put_opportunity(
        "006A1", owner="005A1", amount=12500.5, created=day(0),
        closed=day(30).date(), won=True, modified=day(30),
    )  # fmt: skip
    state.put_opportunity(
        "006A2", owner="005A1", amount=900, created=day(5),
        closed=day(20).date(), won=False, modified=day(20), currency="EUR",
    )  # fmt: skip
    state.put_opportunity(
        "006A3", owner="005A2", amount=None, created=day(10), closed=None,
        won=False, modified=day(10),
    )  # fmt: skip
    state.put_task("00TA1", owner="005A1", subtype="Call", at=day(1), modified=day(1))
    state.put_task("00TA2", owner="005A2", subtype="Email", at=day(3), modified=day(3))
    state.put_task("00TA3", owner="005A2", subtype="Task", at=day(3), modified=day(3))
    state.put_event("00UA1", owner="005A1", at=day(2), modified=day(2))
    state.put_quota(
        "0J9A1", owner="005A1", amount="50000", start=dt.date(2026, 4, 1),
        modified=day(4),
    )  # fmt: skip
    return state


def _sync(connection: CrmConnection, sleeps: list[float] | None = None) -> CrmSyncLog:
    return crm_sync(
        connection=connection,
        sleep=(sleeps.append if sleeps is not None else lambda seconds: None),
    )


def test_the_first_sync_stores_opportunities_activities_quotas_and_owners(
    connection, crm, org
):
    log = _sync(connection)
    assert log.status == CrmSyncLog.Status.SUCCEEDED, log.error
    assert (log.created, log.updated, log.deleted, log.skipped) == (7, 0, 0, 0)
    won = CrmDeal.objects.get(crm_id="006A1")
    assert won.outcome == CrmDeal.Outcome.WON and won.user == org.rep_east
    assert won.amount == Decimal("12500.50") and won.currency == "USD"
    assert (won.created_on, won.closed_on) == (day(0).date(), day(30).date())
    assert won.stage == "Closed Won"
    lost = CrmDeal.objects.get(crm_id="006A2")
    assert (lost.outcome, lost.currency, lost.amount) == ("lost", "EUR", Decimal("900"))
    assert CrmDeal.objects.get(crm_id="006A3").outcome == "open"
    assert set(CrmActivity.objects.values_list("kind", "crm_id", "user")) == {
        ("call", "00TA1", org.rep_east.pk),
        ("email", "00TA2", org.rep_west.pk),
        ("meeting", "00UA1", org.rep_east.pk),
    }
    quota = CrmQuota.objects.get()
    assert (quota.user, quota.amount, quota.currency, quota.period_start) == (
        org.rep_east,
        Decimal("50000.00"),
        "USD",
        dt.date(2026, 4, 1),
    )
    assert CrmOwner.objects.get(user=None).email == "stranger@elsewhere.example"
    cursors = dict(
        CrmSyncCursor.objects.filter(connection=connection).values_list(
            "object_type", "modified_since"
        )
    )
    assert cursors == {
        "Opportunity": day(30),
        "Task": day(3),
        "Event": day(2),
        "ForecastingQuota": day(4),
    }


def test_it_queries_by_system_modstamp_and_follows_next_records_urls(
    connection, crm, salesforce_fake
):
    _sync(connection)
    paths = [path for _, path in salesforce_fake.state.requests]
    assert any("/queryAll" in path for path in paths)
    assert any("/query/01g" in path for path in paths)  # queryMore
    salesforce_fake.state.requests.clear()
    log = _sync(connection)
    assert (log.created, log.updated, log.deleted) == (0, 0, 0)
    assert CrmDeal.objects.count() == 3


def test_an_incremental_sync_updates_by_id_and_deletions_become_deletions(
    connection, crm
):
    _sync(connection)
    crm.put_opportunity(
        "006A3", owner="005A2", amount="4000", created=day(10),
        closed=day(40).date(), won=True, modified=day(40),
    )  # fmt: skip
    crm.delete("Opportunity", "006A2", day(41))
    crm.delete("Task", "00TA1", day(41))
    crm.delete("ForecastingQuota", "0J9A1", day(41))
    log = _sync(connection)
    assert (log.created, log.updated, log.deleted) == (0, 1, 3), log.problems
    deal = CrmDeal.objects.get(crm_id="006A3")
    assert (deal.outcome, deal.amount) == ("won", Decimal("4000.00"))
    assert not CrmDeal.objects.filter(crm_id="006A2").exists()
    assert not CrmActivity.objects.filter(crm_id="00TA1").exists()
    assert not CrmQuota.objects.exists()
    assert CrmSyncCursor.objects.get(object_type="Task").modified_since == day(41)


def test_malformed_records_are_skipped_with_the_reason_and_the_rest_synced(
    connection, crm
):
    crm.put_opportunity(
        "006B1", owner="005A1", amount="lots", created=day(0),
        closed=day(3).date(), won=True, modified=day(3),
    )  # fmt: skip
    crm.put_opportunity(
        "006B2", owner="005A1", amount=10, created=day(0),
        closed=day(3).date(), won=True, modified=day(3), currency="dollars",
    )  # fmt: skip
    crm.put_opportunity(
        "006B3", owner="005A1", amount=None, created=day(0),
        closed=day(3).date(), won=True, modified=day(3),
    )  # fmt: skip
    crm.objects["Event"]["00UA1"]["StartDateTime"] = "tomorrow"
    log = _sync(connection)
    assert log.status == CrmSyncLog.Status.SUCCEEDED, log.error
    assert sorted(log.problems) == [
        "Event 00UA1: StartDateTime 'tomorrow' is not a date and time",
        "Opportunity 006B1: Amount 'lots' is not a number",
        "Opportunity 006B2: CurrencyIsoCode 'dollars' is not an ISO 4217 code",
        "Opportunity 006B3: a won opportunity without an Amount",
    ]
    assert CrmDeal.objects.count() == 3 and CrmActivity.objects.count() == 2


def test_an_expired_session_is_refreshed_and_the_sync_goes_on(
    connection, crm, salesforce_fake
):
    _sync(connection)
    salesforce_fake.state.expire_sessions()
    crm.put_task("00TA9", owner="005A1", subtype="Call", at=day(9), modified=day(9))
    log = _sync(connection)
    assert log.status == CrmSyncLog.Status.SUCCEEDED, log.error
    assert log.created == 1


def test_an_expired_refresh_token_needs_re_authorisation_and_the_admin_hears_once(
    connection, crm, salesforce_fake, mailoutbox, caplog
):
    caplog.set_level(logging.DEBUG)
    refresh_token = unseal(connection.credentials_sealed)["refresh_token"]
    salesforce_fake.state.revoke()
    log = _sync(connection)
    assert log.status == CrmSyncLog.Status.FAILED
    assert log.error == (
        "Salesforce answered 400: invalid_grant: expired access/refresh token"
    )
    connection.refresh_from_db()
    assert connection.status == CrmConnection.Status.NEEDS_REAUTHORISATION
    assert [m.to for m in mailoutbox] == [[org_admin_email(connection)]]
    assert refresh_token not in mailoutbox[0].body
    assert refresh_token not in caplog.text
    _sync(connection)
    assert len(mailoutbox) == 1
    assert not CrmDeal.objects.exists()


def org_admin_email(connection: CrmConnection) -> str:
    assert connection.created_by is not None
    return connection.created_by.email


def test_request_limit_exceeded_is_waited_out_and_nothing_is_lost(
    connection, crm, salesforce_fake
):
    salesforce_fake.state.limit_exceeded_next = 4
    sleeps: list[float] = []
    log = _sync(connection, sleeps)
    assert log.status == CrmSyncLog.Status.SUCCEEDED, log.error
    assert sleeps == [1.0, 2.0, 4.0, 8.0]
    assert CrmDeal.objects.count() == 3 and CrmActivity.objects.count() == 3


def test_it_stops_before_using_the_orgs_whole_api_allowance_and_resumes(
    connection, crm, salesforce_fake
):
    salesforce_fake.state.api_used = 7996
    salesforce_fake.state.api_limit = 10_000
    log = _sync(connection)
    assert log.status == CrmSyncLog.Status.FAILED
    assert log.error.startswith("Salesforce API usage is 8000/10000")
    stored = CrmDeal.objects.count() + CrmActivity.objects.count()
    assert 0 < stored < 6
    salesforce_fake.state.api_used = 0
    log = _sync(connection)
    assert log.status == CrmSyncLog.Status.SUCCEEDED, log.error
    assert CrmDeal.objects.count() == 3 and CrmActivity.objects.count() == 3


def test_a_garbage_answer_stops_the_sync_and_loses_nothing(
    connection, crm, salesforce_fake
):
    salesforce_fake.state.garbage_for = "Event"
    log = _sync(connection)
    assert log.status == CrmSyncLog.Status.FAILED
    assert "not JSON" in log.error
    assert CrmDeal.objects.count() == 3
    salesforce_fake.state.garbage_for = None
    assert _sync(connection).status == CrmSyncLog.Status.SUCCEEDED
    assert CrmActivity.objects.count() == 3


def test_an_org_without_forecasting_quotas_syncs_the_rest(
    connection, crm, salesforce_fake
):
    salesforce_fake.state.unsupported = {"ForecastingQuota"}

    log = _sync(connection)

    assert log.status == CrmSyncLog.Status.SUCCEEDED
    assert CrmDeal.objects.count() == 3 and CrmActivity.objects.count() == 3
    assert not CrmQuota.objects.exists()
    assert any("Collaborative Forecasts is off" in line for line in log.problems)


def test_a_single_currency_org_uses_the_currency_named_when_connecting(
    connection, crm, salesforce_fake
):
    credentials = unseal(connection.credentials_sealed)
    connection.credentials_sealed = seal({**credentials, "currency": "GBP"})
    connection.save()
    for record in salesforce_fake.state.objects["Opportunity"].values():
        del record["CurrencyIsoCode"]
    log = _sync(connection)
    assert log.status == CrmSyncLog.Status.SUCCEEDED, log.error
    assert set(CrmDeal.objects.values_list("currency", flat=True)) == {"GBP"}
