"""Writes on CRM connections: one door for each change of state."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from integrations.crm.crypto import CredentialsUnreadable, seal, unseal
from integrations.crm.hubspot import CrmError, hubspot_account
from integrations.models import CrmConnection
from lms.accounts.models import User


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


def crm_connection_test(*, connection: CrmConnection) -> CrmConnection:
    """Ask the CRM who the credentials belong to; keep the answer or the exact
    error on the connection, for its page."""
    try:
        credentials = unseal(connection.credentials_sealed)
        account = hubspot_account(access_token=credentials["access_token"])
    except (CrmError, CredentialsUnreadable) as error:
        connection.last_test_ok = False
        connection.last_test_message = str(error)[:500]
    else:
        connection.last_test_ok = True
        connection.account_name = account.name[:200]
        connection.last_test_message = (
            f"Connected to {account.name}; currency {account.currency or '—'}, "
            f"time zone {account.time_zone or '—'}."
        )[:500]
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
