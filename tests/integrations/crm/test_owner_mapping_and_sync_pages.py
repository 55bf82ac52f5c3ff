from __future__ import annotations

import datetime as dt

import pytest

from integrations.models import (
    CrmActivity,
    CrmConnection,
    CrmDeal,
    CrmOwner,
    CrmSyncLog,
)
from integrations.tasks import crm_sync_all_task
from lms.lib.crypto import seal
from tests.factories import UserFactory

TOKEN = "pat-na1-good-token"
T0 = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)


@pytest.fixture
def connection(org) -> CrmConnection:  # type: ignore[no-untyped-def]
    return CrmConnection.objects.create(
        name="HubSpot",
        kind=CrmConnection.Kind.HUBSPOT,
        credentials_sealed=seal({"access_token": TOKEN}),
        created_by=org.admin,
    )


@pytest.fixture
def sync_now(client, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Press "Sync now"; the queued task runs (eagerly) once the request commits."""

    def press(connection: CrmConnection):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"/integrations/crm/{connection.pk}/sync/")

    return press


@pytest.fixture
def stranger(hubspot_fake):  # type: ignore[no-untyped-def]
    """A CRM owner whose address nobody here has, with a deal and a call."""
    state = hubspot_fake.state
    state.add_owner("13", "sam@personal.example", "Sam", "Stranger")
    state.put_deal(
        "1004", owner="13", amount="300", created=T0, closed=T0, won=True, modified=T0
    )
    state.put_activity("calls", "2001", owner="13", at=T0, modified=T0)
    return state


def test_sync_now_syncs_and_the_log_shows_the_counts(
    client, org, connection, stranger, sync_now
):
    client.force_login(org.admin)
    response = sync_now(connection)
    assert response.status_code == 302
    log = CrmSyncLog.objects.get()
    assert log.status == CrmSyncLog.Status.SUCCEEDED and log.created == 2
    page = client.get(response["Location"]).content.decode()
    assert "Succeeded" in page
    assert "1 CRM owner matches nobody here." in page


def test_sync_now_refuses_a_paused_connection(
    client, org, connection, stranger, sync_now
):
    connection.status = CrmConnection.Status.PAUSED
    connection.save()
    client.force_login(org.admin)
    sync_now(connection)
    assert not CrmSyncLog.objects.exists()


@pytest.mark.parametrize("who", ["east_manager", "region_manager", "rep_east"])
def test_only_admins_sync_or_map_owners(client, org, connection, stranger, who):
    client.force_login(org[who])
    base = f"/integrations/crm/{connection.pk}/"
    assert client.post(f"{base}sync/").status_code == 403
    assert client.get(f"{base}owners/").status_code == 403
    assert client.post(f"{base}owners/", {"owner": 1, "person": 1}).status_code == 403
    assert not CrmSyncLog.objects.exists()


def test_the_hourly_task_syncs_active_connections_only(org, connection, stranger):
    paused = CrmConnection.objects.create(
        name="Old",
        kind=CrmConnection.Kind.HUBSPOT,
        credentials_sealed=seal({"access_token": TOKEN}),
        status=CrmConnection.Status.PAUSED,
    )
    assert crm_sync_all_task.delay().get() == 1
    assert list(CrmSyncLog.objects.values_list("connection", flat=True)) == [
        connection.pk
    ]
    assert not paused.sync_logs.exists()


def test_an_admin_maps_an_unmatched_owner_and_their_records_follow(
    client, org, connection, stranger, sync_now
):
    client.force_login(org.admin)
    sync_now(connection)
    owner = CrmOwner.objects.get(crm_id="13")
    assert owner.user is None
    page = client.get(f"/integrations/crm/{connection.pk}/owners/").content.decode()
    assert "sam@personal.example" in page and "unmatched" in page
    response = client.post(
        f"/integrations/crm/{connection.pk}/owners/",
        {"owner": owner.pk, "person": org.rep_north.pk},
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.user == org.rep_north and owner.mapped_by == org.admin
    assert CrmDeal.objects.get().user == org.rep_north
    assert CrmActivity.objects.get().user == org.rep_north
    sync_now(connection)
    owner.refresh_from_db()
    assert owner.user == org.rep_north


def test_an_owner_cannot_be_mapped_to_someone_outside_the_organisation(
    client, org, connection, stranger, sync_now
):
    client.force_login(org.admin)
    sync_now(connection)
    owner = CrmOwner.objects.get(crm_id="13")
    operator = UserFactory(is_staff=True, full_name="Ops")
    gone = UserFactory(is_active=False, full_name="Gone")
    for person in (operator, gone):
        response = client.post(
            f"/integrations/crm/{connection.pk}/owners/",
            {"owner": owner.pk, "person": person.pk},
        )
        assert response.status_code == 400
    owner.refresh_from_db()
    assert owner.user is None


def test_an_owner_of_another_connection_is_404(
    client, org, connection, stranger, sync_now
):
    other = CrmConnection.objects.create(
        name="Other",
        kind=CrmConnection.Kind.HUBSPOT,
        credentials_sealed=seal({"access_token": TOKEN}),
    )
    client.force_login(org.admin)
    sync_now(connection)
    owner = CrmOwner.objects.get(crm_id="13")
    response = client.post(
        f"/integrations/crm/{other.pk}/owners/",
        {"owner": owner.pk, "person": org.rep_north.pk},
    )
    assert response.status_code == 404
