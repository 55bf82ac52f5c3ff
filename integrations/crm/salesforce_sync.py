"""Sync from Salesforce: users (owners), opportunities, tasks and events, and
forecasting quotas, incrementally by `SystemModstamp` with a cursor per object.

Each object is read with queryAll, oldest `SystemModstamp` first, so that records
deleted since the cursor (in the recycle bin, `IsDeleted = true`, their stamp moved
by the deletion) arrive in the same pages as the changes and are deleted here in
the same transaction that stores the page and moves the cursor.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.db import transaction

from integrations.crm.domains import website_domain
from integrations.crm.errors import ObjectUnavailable
from integrations.crm.salesforce import SalesforceOrg
from integrations.crm.sync import (
    Skip,
    _instant,
    _Sync,
    amount_of,
    currency_of,
    record_id,
)
from integrations.models import CrmActivity, CrmConnection, CrmDeal, CrmQuota
from lms.lib.crypto import seal

OPPORTUNITY_FIELDS = (
    "Id, OwnerId, Amount, CurrencyIsoCode, CreatedDate, CloseDate, StageName, "
    "IsClosed, IsWon, IsDeleted, SystemModstamp, Account.Website"
)
TASK_FIELDS = (
    "Id, OwnerId, TaskSubtype, CompletedDateTime, ActivityDate, CreatedDate, "
    "IsDeleted, SystemModstamp"
)
EVENT_FIELDS = "Id, OwnerId, StartDateTime, IsDeleted, SystemModstamp"
QUOTA_FIELDS = (
    "Id, QuotaOwnerId, QuotaAmount, CurrencyIsoCode, StartDate, IsDeleted, "
    "SystemModstamp"
)
# Task subtypes that are selling activity, and what they count as.
TASK_KINDS = {
    "Call": CrmActivity.Kind.CALL,
    "Email": CrmActivity.Kind.EMAIL,
    "ListEmail": CrmActivity.Kind.EMAIL,
}


def soql_datetime(moment: dt.datetime) -> str:
    """A SOQL dateTime literal (no quotes), in UTC."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _modified_since(
    sobject: str, fields: str, since: dt.datetime, extra: str = ""
) -> str:
    return (
        f"SELECT {fields} FROM {sobject} WHERE SystemModstamp >= "
        f"{soql_datetime(since)}{extra} ORDER BY SystemModstamp ASC"
    )


def _date(value: Any, name: str) -> dt.date:
    if not isinstance(value, str) or not value:
        raise Skip(f"no {name}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Skip(f"{name} {value!r} is not a date") from None


def _opportunity_fields(
    record: dict[str, Any], default_currency: str
) -> dict[str, Any]:
    closed = record.get("IsClosed") is True
    won = record.get("IsWon") is True
    outcome = (
        (CrmDeal.Outcome.WON if won else CrmDeal.Outcome.LOST)
        if closed
        else CrmDeal.Outcome.OPEN
    )
    amount = amount_of(record.get("Amount"), "Amount")
    if amount is None and outcome == CrmDeal.Outcome.WON:
        raise Skip("a won opportunity without an Amount")
    return {
        "owner_crm_id": str(record.get("OwnerId") or "")[:64],
        "outcome": outcome,
        "stage": str(record.get("StageName") or "")[:100],
        "amount": amount,
        "currency": currency_of(
            record.get("CurrencyIsoCode"), default_currency, "CurrencyIsoCode"
        ),
        "created_on": _instant(record.get("CreatedDate"), "CreatedDate").date(),
        "closed_on": _date(record.get("CloseDate"), "CloseDate") if closed else None,
        "account_domain": _account_domain(record.get("Account")),
        "modified_at": _instant(record.get("SystemModstamp"), "SystemModstamp"),
    }


def _account_domain(account: Any) -> str:
    """The domain of the opportunity's account (the parent relationship
    `Account`, null without one): its Website, or nothing."""
    if not isinstance(account, dict):
        return ""
    website = account.get("Website")
    return website_domain(website) if isinstance(website, str) else ""


def _task_fields(record: dict[str, Any]) -> dict[str, Any]:
    kind = TASK_KINDS.get(str(record.get("TaskSubtype")))
    if kind is None:
        raise Skip(f"TaskSubtype {record.get('TaskSubtype')!r} is not selling activity")
    if record.get("CompletedDateTime"):
        at = _instant(record.get("CompletedDateTime"), "CompletedDateTime")
    elif record.get("ActivityDate"):
        day = _date(record.get("ActivityDate"), "ActivityDate")
        at = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    else:
        at = _instant(record.get("CreatedDate"), "CreatedDate")
    return {
        "kind": kind,
        "owner_crm_id": str(record.get("OwnerId") or "")[:64],
        "occurred_at": at,
        "modified_at": _instant(record.get("SystemModstamp"), "SystemModstamp"),
    }


def _event_fields(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": CrmActivity.Kind.MEETING,
        "owner_crm_id": str(record.get("OwnerId") or "")[:64],
        "occurred_at": _instant(record.get("StartDateTime"), "StartDateTime"),
        "modified_at": _instant(record.get("SystemModstamp"), "SystemModstamp"),
    }


def _quota_fields(record: dict[str, Any], default_currency: str) -> dict[str, Any]:
    amount = amount_of(record.get("QuotaAmount"), "QuotaAmount")
    if amount is None:
        raise Skip("no QuotaAmount")
    return {
        "owner_crm_id": str(record.get("QuotaOwnerId") or "")[:64],
        "amount": amount,
        "currency": currency_of(
            record.get("CurrencyIsoCode"), default_currency, "CurrencyIsoCode"
        ),
        "period_start": _date(record.get("StartDate"), "StartDate"),
        "modified_at": _instant(record.get("SystemModstamp"), "SystemModstamp"),
    }


def _owner_pages(org: SalesforceOrg) -> Iterator[list[dict[str, Any]]]:
    for page in org.pages("SELECT Id, Email, FirstName, LastName FROM User"):
        yield [
            {
                "id": record.get("Id"),
                "email": record.get("Email"),
                "firstName": record.get("FirstName"),
                "lastName": record.get("LastName"),
            }
            if isinstance(record, dict)
            else record
            for record in page
        ]


def _read(
    sync: _Sync,
    org: SalesforceOrg,
    *,
    sobject: str,
    fields: str,
    model: Any,
    shape: Callable[[dict[str, Any]], dict[str, Any]],
    extra: str = "",
) -> None:
    since = sync.cursor(sobject)
    for page in org.pages(
        _modified_since(sobject, fields, since, extra), include_deleted=True
    ):
        rows: dict[str, dict[str, Any]] = {}
        deleted: list[str] = []
        deleted_stamp: dt.datetime | None = None
        for record in page:
            try:
                crm_id = record_id(record, key="Id")
                if record.get("IsDeleted") is True:
                    deleted.append(crm_id)
                    stamp = _instant(record.get("SystemModstamp"), "SystemModstamp")
                    deleted_stamp = max(stamp, deleted_stamp or stamp)
                    continue
                rows[crm_id] = shape(record)
            except Skip as reason:
                ident = record.get("Id") if isinstance(record, dict) else None
                sync.tally.skip(f"{sobject} {ident}", str(reason))
        sync.store(
            model, sobject, rows, {}, deleted=deleted, deleted_stamp=deleted_stamp
        )


def salesforce_org_for(
    connection: CrmConnection,
    credentials: dict[str, Any],
    sleep: Callable[[float], None] = time.sleep,
) -> SalesforceOrg:
    """A session on the connection's org that stores a rotated refresh token at
    once: with rotation on, Salesforce accepts only the newest, so every caller
    (the sync, "Test connection") must keep it."""

    def keep_rotated(refresh_token: str) -> None:
        with transaction.atomic():
            sealed = seal({**credentials, "refresh_token": refresh_token})
            CrmConnection.objects.filter(pk=connection.pk).update(
                credentials_sealed=sealed
            )
            connection.credentials_sealed = sealed

    return SalesforceOrg(credentials, sleep=sleep, on_refresh_token=keep_rotated)


def salesforce_read(sync: _Sync, credentials: dict[str, Any]) -> None:
    """Read everything that changed since each object's cursor into `sync`."""
    org = salesforce_org_for(sync.connection, credentials, sleep=sync.sleep)
    # A single-currency org has no CurrencyIsoCode field: the admin named its
    # currency when connecting. A multi-currency org names it on every record.
    currency = str(credentials.get("currency") or "")
    if currency:
        opportunity_fields = OPPORTUNITY_FIELDS.replace("CurrencyIsoCode, ", "")
        quota_fields = QUOTA_FIELDS.replace("CurrencyIsoCode, ", "")
    else:
        opportunity_fields, quota_fields = OPPORTUNITY_FIELDS, QUOTA_FIELDS
    sync.owners(_owner_pages(org))
    _read(
        sync,
        org,
        sobject="Opportunity",
        fields=opportunity_fields,
        model=CrmDeal,
        shape=lambda record: _opportunity_fields(record, currency),
    )
    _read(
        sync,
        org,
        sobject="Task",
        fields=TASK_FIELDS,
        model=CrmActivity,
        shape=_task_fields,
        extra=" AND TaskSubtype IN ('Call', 'Email', 'ListEmail')",
    )
    _read(
        sync,
        org,
        sobject="Event",
        fields=EVENT_FIELDS,
        model=CrmActivity,
        shape=_event_fields,
    )
    try:
        _read(
            sync,
            org,
            sobject="ForecastingQuota",
            fields=quota_fields,
            model=CrmQuota,
            shape=lambda record: _quota_fields(record, currency),
        )
    except ObjectUnavailable:
        # Quotas live in Collaborative Forecasts, which many orgs do not use: the
        # rest is synced, and quotas come from the CSV or the API as before.
        sync.tally.skip(
            "ForecastingQuota",
            "this org has no forecasting quotas (Collaborative Forecasts is off)",
        )
