from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext


class ApiToken(models.Model):
    """A bearer token for the REST API and SCIM.

    Enablement admins make *service* tokens (they act as an admin, limited by their
    scopes); managers and admins make *personal* tokens, which see what their person
    sees. Only a SHA-256 hash of the secret is stored: the token is shown once.
    """

    class Kind(models.TextChoices):
        SERVICE = "service", _("Service")
        PERSONAL = "personal", _("Personal")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="integration_tokens",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=100)
    # The public part of the token ("onr_<prefix>_<secret>"), to find its row.
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()}, onr_{self.prefix}_…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return "expired"
        return "active"

    @property
    def status_label(self) -> str:
        """The status in the reader's language."""
        return {
            "revoked": pgettext("token", "Revoked"),
            "expired": pgettext("token", "Expired"),
            "active": pgettext("token", "Active"),
        }[self.status]


class PersonVersion(models.Model):
    """When a person's record last changed, for `updated_since`, ETags and the
    resource version of webhook payloads. People never changed since this app was
    installed have no row: their version is their joining date."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="api_version",
    )
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.updated_at}"


class CourseCompletion(models.Model):
    """A course completed by a person (announced by courses), for the API."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    course = models.ForeignKey(
        "courses.CoursePage", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    course_title = models.CharField(max_length=255)
    completed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-completed_at"]

    def __str__(self) -> str:
        return f"{self.user_id} completed {self.course_title}"


class AnnouncedEvent(models.Model):
    """Events announced once per resource (an assignment's completion, its going
    overdue): the row makes a second announcement impossible."""

    event_type = models.CharField(max_length=40)
    resource_id = models.BigIntegerField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event_type", "resource_id"], name="announce_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.resource_id}"


class IdempotentRequest(models.Model):
    """A write made with an `Idempotency-Key`: the same key again gets the same
    answer, without doing the write twice."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="one_answer_per_key")
        ]

    def __str__(self) -> str:
        return self.key


class WebhookEndpoint(models.Model):
    """A URL that receives signed events (Standard Webhooks). It receives only events
    about what its owner may see. Disabled after days of failures (owner e-mailed)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(max_length=500)
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(default=list, help_text="Event types; empty for all.")
    secret = models.CharField(max_length=100)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    failing_since = models.DateTimeField(null=True, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.url

    def wants(self, event_type: str) -> bool:
        return not self.events or event_type in self.events


class WebhookDelivery(models.Model):
    """One event for one endpoint: tried until it succeeds, for about a day."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SUCCEEDED = "succeeded", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    message_id = models.CharField(max_length=64)
    event_type = models.CharField(max_length=40)
    payload = models.JSONField()
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_duration_ms = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.endpoint_id} ({self.status})"


class WebhookAttempt(models.Model):
    """One HTTP request of a delivery: the delivery log."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    succeeded = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.delivery_id} at {self.at}"


def version_of(moment: dt.datetime) -> int:
    """A resource version: microseconds since the epoch of its last change."""
    return int(moment.timestamp() * 1_000_000)


class ScimUser(models.Model):
    """What an identity provider said about a person over SCIM that Onramp keeps
    nowhere else: its userName and externalId, the name as given and family name,
    and whether it deleted the person (deactivated, history kept, gone from SCIM)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="scim",
    )
    user_name = models.CharField(max_length=255, unique=True)
    external_id = models.CharField(max_length=255, blank=True)
    given_name = models.CharField(max_length=150, blank=True)
    family_name = models.CharField(max_length=150, blank=True)
    # Whether the identity provider set the time zone (UTC is also the default).
    time_zone_given = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.user_name


class ScimGroup(models.Model):
    """A team as an identity provider's group: its externalId, and when it was
    linked (created by SCIM, or an existing team of the same name)."""

    team = models.OneToOneField(
        "accounts.Team", on_delete=models.CASCADE, primary_key=True, related_name="scim"
    )
    external_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"SCIM group {self.team_id}"


class CrmConnection(models.Model):
    """A link to the organisation's CRM (HubSpot or Salesforce), kept by enablement
    admins under Integrations → CRM connections.

    The credentials (a HubSpot private-app token; Salesforce's instance URL, API
    version and refresh token) are stored sealed with INTEGRATIONS_ENCRYPTION_KEY
    (lms/lib/crypto.py). They are never shown again, never logged and never
    part of an export: only the code that calls the CRM opens them.
    """

    class Kind(models.TextChoices):
        HUBSPOT = "hubspot", "HubSpot"
        SALESFORCE = "salesforce", "Salesforce"
        # The demo's stand-in (seed_demo): its syncs read nothing and reach no
        # network; its deals and activities are written by the demo step.
        DEMO = "demo", _("CRM (demo)")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        NEEDS_REAUTHORISATION = "needs_reauthorisation", _("Needs re-authorisation")

    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(
        max_length=24, choices=Status.choices, default=Status.ACTIVE
    )
    credentials_sealed = models.TextField(editable=False)
    # What the last "Test connection" learnt: the portal or org, or the exact error.
    account_name = models.CharField(max_length=200, blank=True)
    last_tested_at = models.DateTimeField(null=True, blank=True)
    last_test_ok = models.BooleanField(null=True, blank=True)
    last_test_message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    def __repr__(self) -> str:
        return f"<CrmConnection {self.pk} {self.kind} {self.status}>"


class CrmOwner(models.Model):
    """A CRM user who owns deals or activities. Matched to a person by e-mail, or
    mapped by an enablement admin; unmatched owners are listed, never dropped."""

    connection = models.ForeignKey(
        CrmConnection, on_delete=models.CASCADE, related_name="owners"
    )
    crm_id = models.CharField(max_length=64)
    email = models.EmailField(blank=True)
    name = models.CharField(max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    mapped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The admin who mapped this owner by hand (empty: by e-mail).",
    )

    class Meta:
        ordering = ["email", "crm_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "crm_id"], name="one_owner_per_crm_id"
            )
        ]

    def __str__(self) -> str:
        return self.email or self.crm_id


class CrmDeal(models.Model):
    """A deal (HubSpot) or opportunity (Salesforce), read from the CRM and upserted
    by its CRM id. Open deals count as pipeline; closed ones carry the outcome."""

    class Outcome(models.TextChoices):
        OPEN = "open", "Open"
        WON = "won", "Won"
        LOST = "lost", "Lost"

    connection = models.ForeignKey(
        CrmConnection, on_delete=models.CASCADE, related_name="deals"
    )
    crm_id = models.CharField(max_length=64)
    owner_crm_id = models.CharField(max_length=64, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="crm_deals",
    )
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    stage = models.CharField(max_length=100, blank=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    currency = models.CharField(max_length=3, help_text="ISO 4217")
    created_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    # The domain of the deal's account (Salesforce Account.Website, HubSpot's
    # company `domain`): share links to people there count for the deal.
    account_domain = models.CharField(max_length=253, blank=True)
    modified_at = models.DateTimeField()

    class Meta:
        ordering = ["connection", "crm_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "crm_id"], name="one_deal_per_crm_id"
            )
        ]
        indexes = [models.Index(fields=["user", "outcome", "closed_on"])]

    def __str__(self) -> str:
        return f"deal {self.crm_id} ({self.outcome})"


class CrmActivity(models.Model):
    """A call, meeting or e-mail logged in the CRM: "selling activity per week"."""

    class Kind(models.TextChoices):
        CALL = "call", "Call"
        MEETING = "meeting", "Meeting"
        EMAIL = "email", "E-mail"

    connection = models.ForeignKey(
        CrmConnection, on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    crm_id = models.CharField(max_length=64)
    owner_crm_id = models.CharField(max_length=64, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="crm_activities",
    )
    occurred_at = models.DateTimeField()
    modified_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "kind", "crm_id"], name="one_activity_per_crm_id"
            )
        ]
        indexes = [
            models.Index(fields=["user", "occurred_at"]),
            # Salesforce ids are unique across kinds: its sync looks rows up by id.
            models.Index(fields=["connection", "crm_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.crm_id}"


class CrmQuota(models.Model):
    """A quota the CRM holds for one owner and period (Salesforce
    `ForecastingQuota`), upserted by its CRM id."""

    connection = models.ForeignKey(
        CrmConnection, on_delete=models.CASCADE, related_name="quotas"
    )
    crm_id = models.CharField(max_length=64)
    owner_crm_id = models.CharField(max_length=64, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="crm_quotas",
    )
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3, help_text="ISO 4217")
    period_start = models.DateField()
    modified_at = models.DateTimeField()

    class Meta:
        ordering = ["connection", "period_start", "crm_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "crm_id"], name="one_quota_per_crm_id"
            )
        ]

    def __str__(self) -> str:
        return f"quota {self.crm_id} from {self.period_start}"


class CrmCurrencyRate(models.Model):
    """What one unit of a currency is worth in the reporting currency
    (CRM_REPORTING_CURRENCY), set by an enablement admin. Deals keep their own
    currency; only the monthly outcomes that ramp analytics read are converted."""

    currency = models.CharField(max_length=3, unique=True, help_text="ISO 4217")
    rate = models.DecimalField(max_digits=18, decimal_places=6)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["currency"]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.rate}"


class CrmSyncCursor(models.Model):
    """How far a connection has read one kind of object: the modification stamp of
    the last record stored (HubSpot `hs_lastmodifieddate`, Salesforce
    `SystemModstamp`)."""

    connection = models.ForeignKey(
        CrmConnection, on_delete=models.CASCADE, related_name="cursors"
    )
    object_type = models.CharField(max_length=32)
    modified_since = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "object_type"], name="one_cursor_per_object"
            )
        ]

    def __str__(self) -> str:
        return f"{self.object_type} since {self.modified_since}"


class CrmSyncLog(models.Model):
    """One sync of a connection: what it did (created, updated, deleted, skipped)
    and why records were skipped or the sync stopped."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    connection = models.ForeignKey(
        CrmConnection, on_delete=models.CASCADE, related_name="sync_logs"
    )
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    deleted = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    # Reasons for skipped records (the first 100) and the error that stopped it.
    problems = models.JSONField(default=list)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"sync {self.pk} of {self.connection_id}: {self.status}"


class LrsEndpoint(models.Model):
    """A Learning Record Store that receives every xAPI statement Onramp makes.
    Enablement admins add them in the Wagtail admin (Settings → Learning Record
    Stores); each gets every statement recorded while it is active."""

    class Version(models.TextChoices):
        V1_0_3 = "1.0.3", "xAPI 1.0.3"
        V2_0 = "2.0.0", "xAPI 2.0 (IEEE 9274.1.1)"

    name = models.CharField(max_length=100)
    url = models.URLField(
        max_length=500,
        help_text=_(
            "The LRS's xAPI base address, e.g. https://lrs.example.com/xAPI/ "
            "(statements go to <base>statements)."
        ),
    )
    username = models.CharField(max_length=200, blank=True)
    password = models.CharField(max_length=200, blank=True)
    version = models.CharField(
        max_length=8, choices=Version.choices, default=Version.V1_0_3
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Learning Record Store")

    def __str__(self) -> str:
        return self.name

    @property
    def statements_url(self) -> str:
        return self.url.rstrip("/") + "/statements"


class XapiStatement(models.Model):
    """One xAPI statement, stored before anything is sent (the outbox). Its id is
    derived from what it records, so the same event never makes two statements."""

    statement_id = models.UUIDField(unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="xapi_statements",
        help_text="The learner the statement is about.",
    )
    verb = models.CharField(max_length=20)
    statement = models.JSONField()
    stored_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["stored_at", "pk"]
        indexes = [models.Index(fields=["user", "stored_at"])]

    def __str__(self) -> str:
        return f"{self.verb} {self.statement_id}"


class XapiDelivery(models.Model):
    """One statement for one LRS: tried, with growing pauses, until the LRS takes
    it. Never given up on, never sent again once taken."""

    statement = models.ForeignKey(
        XapiStatement, on_delete=models.CASCADE, related_name="deliveries"
    )
    endpoint = models.ForeignKey(
        LrsEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "endpoint"], name="one_delivery_per_lrs"
            )
        ]
        indexes = [models.Index(fields=["endpoint", "delivered_at", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.statement_id} → {self.endpoint_id}"
