"""Writes on CRM connections: one door for each change of state."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from integrations.crm.errors import CrmError
from integrations.crm.hubspot import hubspot_account
from integrations.crm.outcomes import crm_outcomes_refresh
from integrations.crm.salesforce import Grant
from integrations.crm.salesforce_sync import salesforce_org_for
from integrations.crm.sync import owner_rows_assign
from integrations.models import CrmConnection, CrmCurrencyRate, CrmOwner
from lms.accounts.models import User
from lms.lib.crypto import CredentialsUnreadable, seal, unseal


class ConnectionRefused(Exception):
    """The person may not manage CRM connections."""


def may_manage_crm(user: User) -> bool:
    return user.is_active and user.is_enablement_admin


@transaction.atomic
def crm_connection_create_hubspot(
    *, name: str, access_token: str, created_by: User
) -> CrmConnection:
    """Store a HubSpot private-app token, sealed; it is never shown again."""
    if not may_manage_crm(created_by):
        raise ConnectionRefused("Only enablement admins connect a CRM.")
    return CrmConnection.objects.create(
        name=name,
        kind=CrmConnection.Kind.HUBSPOT,
        credentials_sealed=seal({"access_token": access_token}),
        created_by=created_by,
    )


def _salesforce_credentials(
    *, client: dict[str, Any], grant: Grant, previous: dict[str, Any] | None = None
) -> str:
    refresh_token = grant.refresh_token or (previous or {}).get("refresh_token")
    if not refresh_token:
        raise CrmError(
            "Salesforce gave no refresh token: add the refresh_token scope to the "
            "connected app."
        )
    return seal(
        {
            "client_id": client["client_id"],
            "client_secret": client["client_secret"],
            "currency": client.get("currency") or "",
            "instance_url": grant.instance_url,
            "api_version": settings.CRM_SALESFORCE_API_VERSION,
            "refresh_token": refresh_token,
        }
    )


@transaction.atomic
def crm_connection_create_salesforce(
    *, name: str, client: dict[str, Any], grant: Grant, created_by: User
) -> CrmConnection:
    """Keep what the OAuth web-server flow gave (instance URL, API version, refresh
    token) with the connected app's key and secret, sealed."""
    if not may_manage_crm(created_by):
        raise ConnectionRefused("Only enablement admins connect a CRM.")
    return CrmConnection.objects.create(
        name=name,
        kind=CrmConnection.Kind.SALESFORCE,
        credentials_sealed=_salesforce_credentials(client=client, grant=grant),
        created_by=created_by,
    )


@transaction.atomic
def crm_connection_reauthorise(
    *, connection: CrmConnection, grant: Grant, by: User
) -> CrmConnection:
    """New tokens from a fresh run of the flow; the connection syncs again."""
    if not may_manage_crm(by):
        raise ConnectionRefused("Only enablement admins connect a CRM.")
    previous = unseal(connection.credentials_sealed)
    connection.credentials_sealed = _salesforce_credentials(
        client=previous, grant=grant, previous=previous
    )
    connection.status = CrmConnection.Status.ACTIVE
    connection.save(update_fields=["credentials_sealed", "status"])
    return connection


@transaction.atomic
def crm_connection_replace_token(
    *, connection: CrmConnection, access_token: str, by: User
) -> CrmConnection:
    """A new HubSpot private-app token, sealed; a connection that needed
    re-authorisation syncs again, with everything synced before kept."""
    if not may_manage_crm(by):
        raise ConnectionRefused("Only enablement admins connect a CRM.")
    connection.credentials_sealed = seal({"access_token": access_token})
    if connection.status == CrmConnection.Status.NEEDS_REAUTHORISATION:
        connection.status = CrmConnection.Status.ACTIVE
    connection.save(update_fields=["credentials_sealed", "status"])
    return connection


def _account_description(connection: CrmConnection) -> tuple[str, str]:
    """The account's name and a line about it, from the CRM."""
    if connection.kind == CrmConnection.Kind.DEMO:
        return "Northwind demo CRM", gettext(
            "Connected to the demo CRM; no network is used."
        )
    credentials = unseal(connection.credentials_sealed)
    if connection.kind == CrmConnection.Kind.SALESFORCE:
        session = salesforce_org_for(connection, credentials)
        org = session.organisation()
        name = f"Salesforce org {org.get('Name')} ({org.get('Id')})"
        if session.api_usage is None:
            return name, gettext("Connected to %(name)s.") % {"name": name}
        return name, gettext(
            "Connected to %(name)s; API requests used today %(used)s of %(limit)s."
        ) % {"name": name, "used": session.api_usage[0], "limit": session.api_usage[1]}
    account = hubspot_account(access_token=credentials["access_token"])
    return account.name, gettext(
        "Connected to %(name)s; currency %(currency)s, time zone %(zone)s."
    ) % {
        "name": account.name,
        "currency": account.currency or "—",
        "zone": account.time_zone or "—",
    }


def crm_connection_test(*, connection: CrmConnection) -> CrmConnection:
    """Ask the CRM who the credentials belong to; keep the answer or the exact
    error on the connection, for its page."""
    try:
        name, message = _account_description(connection)
    except (CrmError, CredentialsUnreadable) as error:
        connection.last_test_ok = False
        connection.last_test_message = str(error)[:500]
    else:
        connection.last_test_ok = True
        connection.account_name = name[:200]
        connection.last_test_message = message[:500]
    connection.last_tested_at = timezone.now()
    connection.save(
        update_fields=[
            "last_test_ok",
            "last_test_message",
            "account_name",
            "last_tested_at",
        ]
    )
    return connection


def crm_connection_set_paused(*, connection: CrmConnection, paused: bool) -> None:
    """Pause (no syncs) or resume a connection. A connection that needs
    re-authorisation stays so until its credentials are entered again."""
    if connection.status == CrmConnection.Status.NEEDS_REAUTHORISATION:
        return
    connection.status = (
        CrmConnection.Status.PAUSED if paused else CrmConnection.Status.ACTIVE
    )
    connection.save(update_fields=["status"])


def crm_connection_remove(*, connection: CrmConnection) -> None:
    """Forget a connection and its sealed credentials."""
    connection.delete()


class MappingRefused(Exception):
    """The chosen person is not someone a CRM owner may be mapped to."""


def mappable_people() -> QuerySet[User]:
    """People of the organisation a CRM owner may stand for: active accounts that
    are not operators (staff accounts are outside the organisation's data)."""
    return User.objects.filter(is_active=True, is_staff=False, is_superuser=False)


@transaction.atomic
def crm_owner_map(*, owner: CrmOwner, user: User | None, mapped_by: User) -> None:
    """Link a CRM owner to a person (or unlink: None); their deals and activities
    follow. Later syncs keep a hand-made mapping."""
    if not may_manage_crm(mapped_by):
        raise ConnectionRefused("Only enablement admins map CRM owners.")
    if user is not None and not mappable_people().filter(pk=user.pk).exists():
        raise MappingRefused("That person is not in this organisation.")
    owner.user = user
    owner.mapped_by = mapped_by if user is not None else None
    owner.save(update_fields=["user", "mapped_by"])
    owner_rows_assign(owner=owner)


def crm_sync_request(*, connection: CrmConnection) -> bool:
    """Queue a sync ("Sync now"); only an active connection syncs."""
    if connection.status != CrmConnection.Status.ACTIVE:
        return False
    from integrations.tasks import crm_sync_task

    connection_id = connection.pk
    transaction.on_commit(lambda: crm_sync_task.delay(connection_id), robust=True)
    return True


@transaction.atomic
def crm_currency_rate_set(*, currency: str, rate: Decimal, by: User) -> CrmCurrencyRate:
    """Set what one unit of `currency` is worth in the reporting currency; the
    monthly outcomes of every connection are worked out again at once."""
    if not may_manage_crm(by):
        raise ConnectionRefused("Only enablement admins set currency rates.")
    row, _ = CrmCurrencyRate.objects.update_or_create(
        currency=currency,
        defaults={"rate": rate, "updated_by": by, "updated_at": timezone.now()},
    )
    for connection in CrmConnection.objects.all():
        crm_outcomes_refresh(connection=connection)
    return row
