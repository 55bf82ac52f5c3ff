"""Synced deals become the monthly outcomes ramp analytics read, with sales-cycle
length and selling activity beside them; currency rates set by admins."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from dashboards.models import SalesOutcome
from dashboards.ramp import ramp_analytics
from dashboards.team import TeamFilters
from integrations.crm.sync import crm_sync
from integrations.models import CrmConnection, CrmCurrencyRate, CrmSyncLog
from lms.lib.crypto import seal

TOKEN = "pat-na1-good-token"
T0 = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)


def day(n: int) -> dt.datetime:
    return T0 + dt.timedelta(days=n)


@pytest.fixture
def connection(org, hubspot_fake):  # type: ignore[no-untyped-def]
    state = hubspot_fake.state
    state.add_owner("11", org.rep_east.email, "Rae", "East")
    state.add_owner("12", org.rep_west.email, "Wes", "West")
    state.add_owner("21", org.rep_north.email, "Nora", "North")
    state.put_deal(
        "1", owner="11", amount="1000", created=day(0), closed=day(10),
        won=True, modified=day(10),
    )  # fmt: skip
    state.put_deal(
        "2", owner="11", amount="500", created=day(0), closed=day(30),
        won=False, modified=day(30),
    )  # fmt: skip
    state.put_deal(
        "3", owner="11", amount="2000", created=day(5), closed=day(25),
        won=True, modified=day(25), currency="EUR",
    )  # fmt: skip
    state.put_deal(
        "4", owner="12", amount="3000", created=day(0), closed=day(40),
        won=True, modified=day(40),
    )  # fmt: skip
    state.put_deal(
        "5", owner="21", amount="9000", created=day(0), closed=day(5),
        won=True, modified=day(5),
    )  # fmt: skip
    for n in range(6):
        state.put_activity("calls", f"c{n}", owner="11", at=day(n), modified=day(n))
    state.put_activity("meetings", "m1", owner="12", at=day(3), modified=day(3))
    return CrmConnection.objects.create(
        name="HubSpot",
        kind=CrmConnection.Kind.HUBSPOT,
        credentials_sealed=seal({"access_token": TOKEN}),
        created_by=org.admin,
    )


def _sync(connection: CrmConnection) -> CrmSyncLog:
    log = crm_sync(connection=connection, sleep=lambda seconds: None)
    assert log.status == CrmSyncLog.Status.SUCCEEDED, log.error
    return log


def test_synced_deals_become_monthly_outcomes_and_unconverted_ones_are_said(
    connection, org
):
    SalesOutcome.objects.create(
        user=org.rep_east, month=dt.date(2026, 3, 1), opportunities=9, deals_won=9,
        revenue=Decimal("99"), quota=Decimal("4000"),
    )  # fmt: skip
    log = _sync(connection)
    assert log.problems == [
        "1 won deal in EUR left out of revenue: no rate to USD is set"
    ]
    march = SalesOutcome.objects.get(user=org.rep_east, month=dt.date(2026, 3, 1))
    assert (march.opportunities, march.deals_won, march.revenue, march.quota) == (
        2,
        2,
        Decimal("1000.00"),
        Decimal("4000.00"),
    )
    assert march.first_deal_on == day(10).date()
    april = SalesOutcome.objects.get(user=org.rep_east, month=dt.date(2026, 4, 1))
    assert (april.opportunities, april.deals_won) == (1, 0)


def test_a_rate_converts_other_currencies_at_once(connection, org):
    from integrations.crm.services import crm_currency_rate_set

    _sync(connection)
    crm_currency_rate_set(currency="EUR", rate=Decimal("1.1"), by=org.admin)
    march = SalesOutcome.objects.get(user=org.rep_east, month=dt.date(2026, 3, 1))
    assert march.revenue == Decimal("3200.00")
    assert _sync(connection).problems == []


def test_a_sync_works_out_again_only_the_outcomes_of_people_it_touched(
    connection, org, hubspot_fake
):
    _sync(connection)
    SalesOutcome.objects.filter(user=org.rep_west).update(revenue=Decimal("1"))
    hubspot_fake.state.put_deal(
        "6", owner="11", amount="700", created=day(1), closed=day(12),
        won=True, modified=day(50),
    )  # fmt: skip
    _sync(connection)
    march = SalesOutcome.objects.get(user=org.rep_east, month=dt.date(2026, 3, 1))
    assert (march.deals_won, march.revenue) == (3, Decimal("1700.00"))
    assert SalesOutcome.objects.get(user=org.rep_west).revenue == Decimal("1")


def test_ramp_analytics_for_americas_show_the_synced_numbers_with_cycle_and_activity(
    connection, org
):
    _sync(connection)
    analytics = ramp_analytics(
        viewer=org.region_manager, filters=TeamFilters(), now=NOW
    )
    by_name = {rep.person.full_name: rep for rep in analytics.reps}
    assert set(by_name) == {"Rae East", "Wes West"}  # Nora is in EMEA
    rae = by_name["Rae East"]
    assert (rae.metrics.opportunities, rae.metrics.deals_won) == (3, 2)
    assert rae.metrics.revenue == Decimal("1000.00")
    assert rae.selling is not None
    # Cycles of 10, 30 and 20 days; six calls over 52 weeks.
    assert rae.selling.median_cycle_days == 20.0
    assert rae.selling.activity_per_week == Decimal("0.1")
    # 3 opportunities × 2/3 × 500 average = 1,000 over 20 days.
    assert rae.selling.velocity_per_day == Decimal("50.00")
    assert [group.name for group in analytics.selling_cohorts] == ["No onboarding path"]
    assert analytics.selling_cohorts[0].deals_closed == 4


def test_the_ramp_analytics_page_shows_selling_from_the_crm(
    client, connection, org, time_machine
):
    _sync(connection)
    time_machine.move_to(NOW)
    client.force_login(org.region_manager)
    page = client.get(reverse("ramp_analytics")).content.decode()
    assert "Selling, from the CRM" in page
    assert "Sales cycle (median days)" in page
    assert "50.00" in page


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("rep_east", 403),
        ("east_manager", 403),
        ("emea_manager", 403),
        ("region_manager", 403),
        ("admin", 302),
    ],
)
def test_only_enablement_admins_set_currency_rates(client, org, who, status):
    client.force_login(org[who])
    response = client.post(
        "/integrations/crm/rates/", {"currency": "EUR", "rate": "1.08"}
    )
    assert response.status_code == status
    assert CrmCurrencyRate.objects.exists() == (status == 302)


def test_anonymous_people_cannot_set_rates(client, db):
    response = client.post("/integrations/crm/rates/", {"currency": "EUR", "rate": "1"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not CrmCurrencyRate.objects.exists()


def test_a_rate_must_be_an_iso_code_and_positive(client, org):
    client.force_login(org.admin)
    for bad in ({"currency": "eur", "rate": "1"}, {"currency": "EUR", "rate": "0"}):
        assert client.post("/integrations/crm/rates/", bad).status_code == 400
    assert not CrmCurrencyRate.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("rep_east", 200),
        ("east_manager", 200),
        ("region_manager", 200),
        ("emea_manager", 404),
        ("rep_west", 404),
        ("admin", 200),
    ],
)
def test_the_person_page_shows_selling_to_who_may_see_the_person(
    client, connection, org, time_machine, who, status
):
    _sync(connection)
    time_machine.move_to(NOW)
    client.force_login(org[who])
    response = client.get(reverse("person_detail", args=[org.rep_east.pk]))
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "Selling, from the CRM" in page and "50.00" in page


def test_the_person_page_of_someone_without_crm_data_has_no_selling(
    client, connection, org
):
    client.force_login(org.admin)
    page = client.get(reverse("person_detail", args=[org.rep_east.pk])).content
    assert b"Selling, from the CRM" not in page


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("east_manager", 200),
        ("region_manager", 200),
        ("emea_manager", 404),
        ("admin", 200),
    ],
)
def test_the_api_gives_selling_to_who_may_see_the_person(
    api_as, connection, org, time_machine, who, status
):
    _sync(connection)
    time_machine.move_to(NOW)
    response = api_as(org[who], ["people:read"]).get(
        f"/api/v1/people/{org.rep_east.pk}/selling/"
    )
    assert response.status_code == status, response.content
    if status == 200:
        assert response.json() == {
            "deals_closed": 3,
            "median_cycle_days": 20.0,
            "velocity_per_day": "50.00",
            "activity_per_week": "0.1",
        }


def test_the_selling_api_needs_a_token_with_people_read(api_as, connection, org):
    url = f"/api/v1/people/{org.rep_east.pk}/selling/"
    assert api_as(None).get(url).status_code == 401
    assert api_as(org.admin, ["learning:read"]).get(url).status_code == 403
    assert api_as(org.admin, ["people:read"]).get(url).status_code == 404  # no data


def test_content_opened_before_the_close_counts_as_influence(connection, org):
    from library import services as library_services
    from library.models import ShareLink
    from tests.library.conftest import Items

    item = Items(org).make(title="Case study", shareable=True)
    for deal, opened in (("1", day(5)), ("2", day(40)), ("3", None)):
        link = library_services.share_link_create(
            item=item,
            rep=org.rep_east,
            prospect_name="Jane",
            prospect_email="jane@acme.example",
            prospect_company="Acme",
            crm_opportunity_id=deal,
        )
        ShareLink.objects.filter(pk=link.pk).update(first_opened_at=opened)
    _sync(connection)
    analytics = ramp_analytics(
        viewer=org.region_manager, filters=TeamFilters(), now=NOW
    )
    rae = next(rep for rep in analytics.reps if rep.person == org.rep_east)
    assert rae.selling is not None
    # Deal 1 (won) opened before its close; deal 2 opened after; deal 3 never.
    assert rae.selling.content_influenced == 1
    assert rae.selling.influenced_win_rate == Decimal("1.0000")
    assert rae.selling.other_win_rate == Decimal("0.5000")
