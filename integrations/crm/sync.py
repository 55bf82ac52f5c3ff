"""Sync from HubSpot: owners, deals and activities, incrementally and idempotently.

Each page is stored in one transaction together with the cursor it advances, so a
sync that stops (a garbage answer, HubSpot unreachable, a 429 storm that outlasts
the retries) keeps every page stored before it and starts from there next time.
Records are upserted by their CRM id; archived records (HubSpot's deletions) are
deleted here. A record that cannot be read is skipped with its reason in the log.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from integrations.crm.bulk import rows_insert, rows_update
from integrations.crm.domains import website_domain
from integrations.crm.errors import AccessRefused, CrmError, ReauthorisationNeeded
from integrations.crm.hubspot import (
    Sleep,
    archived_pages,
    deal_company_domains,
    hubspot_account,
    hubspot_client,
    modified_pages,
    owner_pages,
)
from integrations.crm.notices import crm_reauthorisation_notify
from integrations.crm.outcomes import crm_outcomes_refresh
from integrations.models import (
    CrmActivity,
    CrmConnection,
    CrmDeal,
    CrmOwner,
    CrmSyncCursor,
    CrmSyncLog,
)
from lms.accounts.models import User
from lms.lib.crypto import CredentialsUnreadable, unseal

PROBLEMS_KEPT = 100
CURRENCY = re.compile(r"^[A-Z]{3}$")
DEAL_PROPERTIES = [
    "dealname",
    "amount",
    "deal_currency_code",
    "createdate",
    "closedate",
    "dealstage",
    "hs_is_closed",
    "hs_is_closed_won",
    "hubspot_owner_id",
    "hs_lastmodifieddate",
]
ACTIVITY_TYPES = {
    "calls": CrmActivity.Kind.CALL,
    "meetings": CrmActivity.Kind.MEETING,
    "emails": CrmActivity.Kind.EMAIL,
}
ACTIVITY_PROPERTIES = ["hs_timestamp", "hubspot_owner_id", "hs_lastmodifieddate"]
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class Skip(Exception):
    """A record that cannot be stored; the message is its reason."""


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)

    def skip(self, what: str, reason: str) -> None:
        self.skipped += 1
        if len(self.problems) < PROBLEMS_KEPT:
            self.problems.append(f"{what}: {reason}")


def _instant(value: Any, name: str) -> dt.datetime:
    if not isinstance(value, str) or not value:
        raise Skip(f"no {name}")
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise Skip(f"{name} {value!r} is not a date and time") from None
    if moment.tzinfo is None:
        raise Skip(f"{name} {value!r} has no time zone")
    return moment


def _deal_fields(record: Any, default_currency: str) -> dict[str, Any]:
    props = record.get("properties")
    if not isinstance(props, dict):
        raise Skip("no properties")
    closed = props.get("hs_is_closed") == "true"
    won = props.get("hs_is_closed_won") == "true"
    outcome = (
        (CrmDeal.Outcome.WON if won else CrmDeal.Outcome.LOST)
        if closed
        else CrmDeal.Outcome.OPEN
    )
    amount = amount_of(props.get("amount"), "amount")
    if amount is None and outcome == CrmDeal.Outcome.WON:
        raise Skip("a won deal without an amount")
    currency = currency_of(props.get("deal_currency_code"), default_currency)
    closed_on = None
    if closed:
        closed_on = _instant(props.get("closedate"), "closedate").date()
    return {
        "owner_crm_id": str(props.get("hubspot_owner_id") or ""),
        "outcome": outcome,
        "stage": str(props.get("dealstage") or "")[:100],
        "amount": amount,
        "currency": currency,
        "created_on": _instant(props.get("createdate"), "createdate").date(),
        "closed_on": closed_on,
        "modified_at": _instant(
            props.get("hs_lastmodifieddate"), "hs_lastmodifieddate"
        ),
    }


def _activity_fields(record: Any) -> dict[str, Any]:
    props = record.get("properties")
    if not isinstance(props, dict):
        raise Skip("no properties")
    return {
        "owner_crm_id": str(props.get("hubspot_owner_id") or ""),
        "occurred_at": _instant(props.get("hs_timestamp"), "hs_timestamp"),
        "modified_at": _instant(
            props.get("hs_lastmodifieddate"), "hs_lastmodifieddate"
        ),
    }


def record_id(record: Any, key: str = "id") -> str:
    """A record's CRM id (HubSpot's `id`, Salesforce's `Id`)."""
    if not isinstance(record, dict):
        raise Skip("not an object")
    crm_id = record.get(key)
    if not isinstance(crm_id, str | int) or not str(crm_id).strip():
        raise Skip(f"no {key}")
    return str(crm_id)[:64]


def amount_of(value: Any, name: str) -> Decimal | None:
    """A money amount (two decimals, 0 up to a trillion), or None when empty."""
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise Skip(f"{name} {value!r} is not a number") from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
        raise Skip(f"{name} {value!r} is out of range")
    return amount


def currency_of(value: Any, default: str, name: str = "currency") -> str:
    """An ISO 4217 code: the record's, else the connection's currency."""
    currency = value or default
    if not isinstance(currency, str) or not CURRENCY.match(currency):
        raise Skip(f"{name} {currency!r} is not an ISO 4217 code")
    return currency


class _Sync:
    def __init__(self, connection: CrmConnection, log: CrmSyncLog, sleep: Sleep):
        self.connection = connection
        self.log = log
        self.sleep = sleep
        self.tally = Tally()
        self.users: dict[str, int | None] = {}
        # Whose monthly outcomes this sync may have changed (None: anyone's).
        self.touched: set[int] | None = set()

    def touch(self, user_ids: Iterable[int | None]) -> None:
        if self.touched is not None:
            self.touched.update(pk for pk in user_ids if pk is not None)

    def save_log(self) -> None:
        for name in ("created", "updated", "deleted", "skipped", "problems"):
            setattr(self.log, name, getattr(self.tally, name))
        self.log.save()

    def cursor(self, object_type: str) -> dt.datetime:
        row = CrmSyncCursor.objects.filter(
            connection=self.connection, object_type=object_type
        ).first()
        return row.modified_since if row else EPOCH

    def advance(self, object_type: str, stamp: dt.datetime) -> None:
        CrmSyncCursor.objects.update_or_create(
            connection=self.connection,
            object_type=object_type,
            defaults={"modified_since": stamp},
        )

    def owners(self, pages: Iterable[list[Any]]) -> None:
        """Owners from pages of `{"id", "email", "firstName", "lastName"}`."""
        people = {
            email.lower(): pk
            for pk, email in User.objects.filter(is_active=True).values_list(
                "pk", "email"
            )
        }
        known = {
            owner.crm_id: owner
            for owner in CrmOwner.objects.filter(connection=self.connection)
        }
        for page in pages:
            new: list[CrmOwner] = []
            changed: list[CrmOwner] = []
            for record in page:
                try:
                    crm_id = record_id(record)
                except Skip as reason:
                    self.tally.skip("owner", str(reason))
                    continue
                email = str(record.get("email") or "")[:254]
                name = " ".join(
                    str(record.get(key) or "") for key in ("firstName", "lastName")
                ).strip()[:200]
                owner = known.get(crm_id)
                is_new = owner is None
                if owner is None:
                    owner = CrmOwner(connection=self.connection, crm_id=crm_id)
                    known[crm_id] = owner
                user_id = owner.user_id
                if owner.mapped_by_id is None:
                    user_id = people.get(email.lower())
                if is_new or (owner.email, owner.name, owner.user_id) != (
                    email,
                    name,
                    user_id,
                ):
                    owner.email, owner.name, owner.user_id = email, name, user_id
                    (new if is_new else changed).append(owner)
            with transaction.atomic():
                CrmOwner.objects.bulk_create(new)
                CrmOwner.objects.bulk_update(changed, ["email", "name", "user"])
                for owner in changed:
                    owner_rows_assign(owner=owner)
                if changed:
                    self.touched = None
        self.users = dict(
            CrmOwner.objects.filter(connection=self.connection).values_list(
                "crm_id", "user_id"
            )
        )

    def deals(self, client: Any, default_currency: str) -> None:
        since = self.cursor("deals")
        domains_refused = False
        for page in modified_pages(
            client,
            object_type="deals",
            properties=DEAL_PROPERTIES,
            modified_since_ms=int(since.timestamp() * 1000),
            sleep=self.sleep,
        ):
            rows: dict[str, dict[str, Any]] = {}
            for record in page:
                try:
                    crm_id = record_id(record)
                    rows[crm_id] = _deal_fields(record, default_currency)
                except Skip as reason:
                    ident = record.get("id") if isinstance(record, dict) else None
                    self.tally.skip(f"deal {ident}", str(reason))
            domains: dict[str, str] = {}
            if not domains_refused:
                try:
                    domains = deal_company_domains(
                        client, deal_ids=list(rows), sleep=self.sleep
                    )
                except AccessRefused as refused:
                    # Deals sync without their companies' domains: content
                    # influence then links by opportunity id only.
                    domains_refused = True
                    self.tally.problems.append(
                        f"companies' domains: {refused} (give the private app "
                        "crm.objects.companies.read)"
                    )
            for crm_id, values in rows.items():
                values["account_domain"] = website_domain(domains.get(crm_id, ""))
            self.store(CrmDeal, "deals", rows, {})

    def activities(self, client: Any) -> None:
        for object_type, kind in ACTIVITY_TYPES.items():
            since = self.cursor(object_type)
            for page in modified_pages(
                client,
                object_type=object_type,
                properties=ACTIVITY_PROPERTIES,
                modified_since_ms=int(since.timestamp() * 1000),
                sleep=self.sleep,
            ):
                rows: dict[str, dict[str, Any]] = {}
                for record in page:
                    try:
                        crm_id = record_id(record)
                        rows[crm_id] = _activity_fields(record)
                    except Skip as reason:
                        ident = record.get("id") if isinstance(record, dict) else None
                        self.tally.skip(f"{kind.label.lower()} {ident}", str(reason))
                self.store(CrmActivity, object_type, rows, {"kind": kind})

    def store(
        self,
        model: Any,
        object_type: str,
        rows: dict[str, dict[str, Any]],
        scope: dict[str, Any],
        *,
        deleted: Iterable[str] = (),
        deleted_stamp: dt.datetime | None = None,
    ) -> None:
        """Upsert one page by CRM id, delete what the CRM deleted (`deleted`,
        up to `deleted_stamp`) and move the cursor, in one transaction."""
        deleted = list(deleted)
        gone = 0
        new: list[Any] = []
        changed: list[Any] = []
        with transaction.atomic():
            if deleted:
                doomed = model.objects.filter(
                    connection=self.connection, crm_id__in=deleted, **scope
                )
                self.touch(doomed.values_list("user_id", flat=True))
                gone, _ = doomed.delete()
            if rows:
                new, changed = self._upsert(model, rows, scope)
                newest = max(values["modified_at"] for values in rows.values())
                if deleted_stamp is not None:
                    newest = max(newest, deleted_stamp)
                self.advance(object_type, newest)
            elif deleted_stamp is not None:
                self.advance(object_type, deleted_stamp)
        self.tally.deleted += gone
        self.tally.created += len(new)
        self.tally.updated += len(changed)
        self.save_log()

    def _upsert(
        self, model: Any, rows: dict[str, dict[str, Any]], scope: dict[str, Any]
    ) -> tuple[list[str], list[str]]:
        """Create the rows the page brings new and update the ones that changed;
        returns the CRM ids (created, changed)."""
        names = list(next(iter(rows.values())))
        for values in rows.values():
            values["user_id"] = self.users.get(values["owner_crm_id"])
        if "user_id" not in names:
            names.append("user_id")
        existing = {
            crm_id: (pk, stored)
            for pk, crm_id, *stored in model.objects.filter(
                connection=self.connection, crm_id__in=list(rows), **scope
            )
            .order_by()
            .values_list("pk", "crm_id", *names)
        }
        new = [crm_id for crm_id in rows if crm_id not in existing]
        changed: list[tuple[int, str]] = []
        for crm_id, (pk, stored) in existing.items():
            values = rows[crm_id]
            if any(values[n] != old for n, old in zip(names, stored, strict=True)):
                self.touch([stored[names.index("user_id")], values["user_id"]])
                changed.append((pk, crm_id))
        self.touch(rows[crm_id]["user_id"] for crm_id in new)
        fixed = {"connection_id": self.connection.pk, **scope}
        rows_insert(model, fixed=fixed, names=names, rows={c: rows[c] for c in new})
        rows_update(
            model,
            names=names,
            rows={pk: rows[crm_id] for pk, crm_id in changed},
        )
        return new, [crm_id for _, crm_id in changed]

    def deletions(self, client: Any) -> None:
        targets: Iterable[tuple[str, Any, dict[str, Any]]] = [
            ("deals", CrmDeal, {}),
            *(
                (object_type, CrmActivity, {"kind": kind})
                for object_type, kind in ACTIVITY_TYPES.items()
            ),
        ]
        for object_type, model, scope in targets:
            for page in archived_pages(
                client, object_type=object_type, sleep=self.sleep
            ):
                ids = []
                for record in page:
                    try:
                        ids.append(record_id(record))
                    except Skip as reason:
                        self.tally.skip(f"archived {object_type}", str(reason))
                self.store(model, object_type, {}, scope, deleted=ids)


def owner_rows_assign(*, owner: CrmOwner) -> None:
    """Give the owner's deals and activities to the person the owner is now."""
    models: tuple[Any, ...] = (CrmDeal, CrmActivity)
    for model in models:
        rows = model.objects.filter(
            connection_id=owner.connection_id, owner_crm_id=owner.crm_id
        )
        if owner.user_id is None:
            rows = rows.exclude(user__isnull=True)
        else:
            rows = rows.exclude(user_id=owner.user_id)
        rows.update(user_id=owner.user_id)


def crm_connection_needs_reauthorisation(
    *, connection: CrmConnection, reason: str
) -> None:
    """The CRM refused the stored credentials: no more syncs until an admin
    connects again, and the admin is told once."""
    CrmConnection.objects.filter(pk=connection.pk).update(
        status=CrmConnection.Status.NEEDS_REAUTHORISATION
    )
    connection.status = CrmConnection.Status.NEEDS_REAUTHORISATION
    crm_reauthorisation_notify(connection=connection, reason=reason)


def _hubspot_read(sync: _Sync, access_token: str) -> None:
    account = hubspot_account(access_token=access_token, sleep=sync.sleep)
    client = hubspot_client(access_token=access_token)
    sync.owners(owner_pages(client, sleep=sync.sleep))
    sync.deals(client, account.currency)
    sync.activities(client)
    sync.deletions(client)


def crm_sync(*, connection: CrmConnection, sleep: Sleep = time.sleep) -> CrmSyncLog:
    """Read what changed in the CRM since the last sync and store it; the log says
    what was created, updated, deleted and skipped, or why the sync stopped."""
    log = CrmSyncLog.objects.create(connection=connection)
    sync = _Sync(connection, log, sleep)
    try:
        credentials = unseal(connection.credentials_sealed)
        if connection.kind == CrmConnection.Kind.DEMO:
            pass  # nothing to read: the demo's data is written by seed_demo
        elif connection.kind == CrmConnection.Kind.SALESFORCE:
            from integrations.crm.salesforce_sync import salesforce_read

            salesforce_read(sync, credentials)
        else:
            _hubspot_read(sync, credentials["access_token"])
    except ReauthorisationNeeded as error:
        log.status = CrmSyncLog.Status.FAILED
        log.error = str(error)
        crm_connection_needs_reauthorisation(connection=connection, reason=str(error))
    except (CrmError, CredentialsUnreadable) as error:
        log.status = CrmSyncLog.Status.FAILED
        log.error = str(error)
    else:
        log.status = CrmSyncLog.Status.SUCCEEDED
        sync.tally.problems += crm_outcomes_refresh(
            connection=connection, user_ids=sync.touched
        )
    log.finished_at = timezone.now()
    sync.save_log()
    return log
