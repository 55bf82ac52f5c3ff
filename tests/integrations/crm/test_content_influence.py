"""Content influence by the prospect's e-mail domain: a share link made without an
opportunity id counts for a deal of the same rep whose account (HubSpot: the
deal's company `domain`; Salesforce: the Opportunity's Account.Website) is the
prospect's organisation, when it was opened by the close day. Public webmail
never matches."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dashboards.ramp import ramp_analytics
from dashboards.team import TeamFilters
from integrations.crm.domains import (
    email_domain,
    is_public_mail,
    organisation_domains,
    website_domain,
)
from integrations.crm.sync import crm_sync
from integrations.models import CrmConnection, CrmDeal, CrmSyncLog
from library import services as library_services
from library.models import ShareLink
from lms.lib.crypto import seal
from tests.integrations.crm.salesforce_fake import CLIENT_ID, CLIENT_SECRET
from tests.library.conftest import Items

T0 = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)


def day(n: int) -> dt.datetime:
    return T0 + dt.timedelta(days=n)


def _sync(connection: CrmConnection) -> CrmSyncLog:
    log = crm_sync(connection=connection, sleep=lambda seconds: None)
    assert log.status == CrmSyncLog.Status.SUCCEEDED, log.error
    return log


def _share(org, rep, email: str, opened: dt.datetime | None, opportunity: str = ""):  # type: ignore[no-untyped-def]
    item = Items(org).make(title=f"Case study for {email}", shareable=True)
    link = library_services.share_link_create(
        item=item,
        rep=rep,
        prospect_name="Jane",
        prospect_email=email,
        prospect_company="Acme",
        crm_opportunity_id=opportunity,
    )
    ShareLink.objects.filter(pk=link.pk).update(first_opened_at=opened)


def _selling(org, person):  # type: ignore[no-untyped-def]
    analytics = ramp_analytics(
        viewer=org.region_manager, filters=TeamFilters(), now=NOW
    )
    rep = next(rep for rep in analytics.reps if rep.person == person)
    assert rep.selling is not None
    return rep.selling


@pytest.fixture
def hubspot(org, hubspot_fake):  # type: ignore[no-untyped-def]
    """Rae's deals: 1 (won, day 10) at Acme, 2 (lost, day 30) at Globex, whose
    primary company is Globex though it is also linked to Acme, 3 (won, day 20)
    at a company that gave gmail.com as its domain, 4 (won, day 25) without a
    company. Wes's deal 5 (won, day 10) at Acme too."""
    state = hubspot_fake.state
    state.add_owner("11", org.rep_east.email, "Rae", "East")
    state.add_owner("12", org.rep_west.email, "Wes", "West")
    for deal, owner, closed, won in (
        ("1", "11", 10, True),
        ("2", "11", 30, False),
        ("3", "11", 20, True),
        ("4", "11", 25, True),
        ("5", "12", 10, True),
    ):
        state.put_deal(
            deal, owner=owner, amount="1000", created=day(0), closed=day(closed),
            won=won, modified=day(closed),
        )  # fmt: skip
    state.put_company("101", name="Acme", domain="acme.example", modified=day(0))
    state.put_company("102", name="Globex", domain="globex.example", modified=day(0))
    state.put_company("103", name="Jo's", domain="gmail.com", modified=day(0))
    state.associate("1", "101")
    state.associate("2", "101", primary=False)
    state.associate("2", "102")
    state.associate("3", "103")
    state.associate("5", "101")
    return CrmConnection.objects.create(
        name="HubSpot",
        kind=CrmConnection.Kind.HUBSPOT,
        credentials_sealed=seal({"access_token": "pat-na1-good-token"}),
        created_by=org.admin,
    )


def test_it_reads_each_deals_primary_company_domain_from_hubspot(hubspot):
    _sync(hubspot)
    assert dict(CrmDeal.objects.values_list("crm_id", "account_domain")) == {
        "1": "acme.example",
        "2": "globex.example",
        "3": "gmail.com",
        "4": "",
        "5": "acme.example",
    }


def test_without_the_companies_scope_deals_sync_and_the_log_says_why(
    hubspot, hubspot_fake
):
    hubspot_fake.state.scopes_missing.add("crm.objects.companies.read")

    log = _sync(hubspot)

    assert set(CrmDeal.objects.values_list("account_domain", flat=True)) == {""}
    assert CrmDeal.objects.count() == 5
    assert any("crm.objects.companies.read" in line for line in log.problems)
    requests = hubspot_fake.state.requests
    asked = [path for _, path, _ in requests if "companies" in path]
    assert len(asked) == 1  # refused once, not asked again for every page


def test_a_link_without_an_opportunity_id_counts_for_the_reps_deal_at_that_domain(
    hubspot, org
):
    _share(org, org.rep_east, "jane@eu.acme.example", day(4))
    _sync(hubspot)
    rae = _selling(org, org.rep_east)
    assert rae.content_influenced == 1  # deal 1 (a subdomain of acme.example)
    assert rae.influenced_win_rate == Decimal("1.0000")
    assert rae.other_win_rate == Decimal("0.6667")  # deals 2, 3, 4


def test_no_domain_match_outside_the_deals_life_for_another_rep_or_at_webmail(
    hubspot, org
):
    _share(org, org.rep_east, "jane@acme.example", day(11))  # after deal 1's close
    _share(org, org.rep_east, "old@acme.example", day(-5))  # before it was created
    _share(org, org.rep_east, "max@gmail.com", day(1))  # deal 3's "domain"
    _share(org, org.rep_west, "ann@globex.example", day(1))  # Rae's deal 2
    _share(org, org.rep_east, "bo@acme.example", day(1), opportunity="2")  # by id
    _share(org, org.rep_east, "cy@globex-partners.example", day(1))
    _share(org, org.rep_east, "di@acme.example", None)  # never opened
    _sync(hubspot)
    rae = _selling(org, org.rep_east)
    # Only deal 2, through its opportunity id; bo's link does not count for
    # deal 1 by domain (it was made for deal 2).
    assert rae.content_influenced == 1
    assert rae.influenced_win_rate == Decimal("0.0000")
    assert _selling(org, org.rep_west).content_influenced == 0


@pytest.fixture
def salesforce(org, salesforce_fake):  # type: ignore[no-untyped-def]
    state = salesforce_fake.state
    state.put_user("005A1", org.rep_east.email, "Rae", "East")
    state.put_account("001A1", name="Acme", website="https://www.Acme.example/")
    state.put_account("001A2", name="Nobody's", website=None)
    accounts = {"006A1": "001A1", "006A2": "001A2", "006A3": None}
    for opportunity, account in accounts.items():
        state.put_opportunity(
            opportunity, owner="005A1", amount=1000, created=day(0),
            closed=day(10).date(), won=True, modified=day(10), account=account,
        )  # fmt: skip
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
                "refresh_token": state.grant(),
            }
        ),
        created_by=org.admin,
    )


def test_salesforce_opportunities_take_their_accounts_website_domain(salesforce, org):
    _share(org, org.rep_east, "jane@acme.example", day(9))
    _share(org, org.rep_east, "joe@outlook.com", day(9))
    _sync(salesforce)
    assert dict(CrmDeal.objects.values_list("crm_id", "account_domain")) == {
        "006A1": "acme.example",
        "006A2": "",
        "006A3": "",
    }
    assert _selling(org, org.rep_east).content_influenced == 1


def test_it_reads_domains_from_addresses_and_websites():
    assert email_domain("Jane@Sales.ACME.example") == "sales.acme.example"
    assert email_domain("not an address") == ""
    assert website_domain("http://www.acme.example:8080/about") == "acme.example"
    assert website_domain("acme.co.uk") == "acme.co.uk"
    assert website_domain("localhost") == ""
    assert organisation_domains("j@eu.acme.example") == [
        "eu.acme.example",
        "acme.example",
    ]
    for public in ("gmail.com", "yahoo.co.uk", "hotmail.es", "outlook.com", "me.com"):
        assert is_public_mail(public)
        assert organisation_domains(f"someone@{public}") == []
    assert not is_public_mail("live.acme.example")
    assert not is_public_mail("mail.acme.example")
