"""Writes on CRM connections: one door for each change of state."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from integrations.crm.hubspot import CrmError, hubspot_account
from integrations.crm.sync import owner_rows_assign
from integrations.models import CrmConnection, CrmOwner
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
