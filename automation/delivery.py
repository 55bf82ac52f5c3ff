"""The one door for automated messages to a person: e-mail, Slack or Teams.

Sequences call `send_many` (a batch at once), others `send` (one); it is
idempotent on (recipient, kind, key) through the notification log, applies the
person's preferences (unless the message is required), records a Delivery row per
channel tried, and falls back to e-mail once when a chat channel fails or is not
connected.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db.models import F
from django.utils import translation

from automation.channels import DeliveryFailed
from automation.channels.slack import slack_direct_message
from automation.channels.teams import teams_post
from automation.connections import slack_token, teams_webhook_for, teams_webhook_url
from automation.models import Delivery, SlackIdentity, TeamsWebhook
from automation.notice_kinds import digest_subject
from automation.rows import rows_insert
from lms.accounts.models import User
from lms.lib import clock
from lms.notifications.models import Channel, Timing
from lms.notifications.preferences import notice_choice, notice_choices
from lms.notifications.services import (
    notice_email_send,
    notice_withdraw,
    notices_claim,
    notify_once,
)

CHANNELS = (Channel.EMAIL, Channel.SLACK, Channel.TEAMS)


@dataclass(frozen=True)
class Outgoing:
    """One message for `send_many`: what `send` takes."""

    recipient: User
    channel: str
    kind: str
    key: str
    subject: str
    text: str
    html: str
    url: str | None = None
    required: bool = False


@dataclass(frozen=True)
class Outcome:
    """What became of one message of `send_many`: `sent` as `send` returns it,
    or the error that stopped it (its claim withdrawn)."""

    sent: bool
    error: Exception | None = None


def send(
    *,
    recipient: User,
    channel: str,
    kind: str,
    key: str,
    subject: str,
    text: str,
    html: str,
    url: str | None = None,
    required: bool = False,
) -> bool:
    """Deliver one message to `recipient`, once.

    `channel` is where the sender meant it to go ("email", "slack" or "teams");
    the person's own choice for `kind` wins unless `required` (security, account
    notices). `text` is plain text (e-mail body, Slack and Teams text), `html` the
    e-mail's HTML part, `url` the page the message's button opens.

    Returns True when this call sent the message or queued it for the person's
    daily digest; False when it was sent before (or is being sent now), or the
    person turned this kind off or paused everything. Like notify_once, the
    message is claimed before sending; if the e-mail cannot be sent the claim is
    withdrawn, so that a later run tries again, and the error is raised.
    """
    (outcome,) = send_many(
        [
            Outgoing(
                recipient=recipient,
                channel=channel,
                kind=kind,
                key=key,
                subject=subject,
                text=text,
                html=html,
                url=url,
                required=required,
            )
        ]
    )
    if outcome.error is not None:
        raise outcome.error
    return outcome.sent


def send_many(messages: Sequence[Outgoing]) -> list[Outcome]:
    """`send` for a batch of messages (the sequence engine's tick): one outcome
    per message, in order. The claims, the preferences and the Delivery rows
    are read and written in a fixed number of queries whatever the batch's
    size, and the e-mails go through one connection to the mail server. A
    message that cannot be sent does not stop the others: its claim is
    withdrawn and its outcome carries the error."""
    for given in messages:
        if given.channel not in CHANNELS:
            raise ValueError(f"Unknown channel {given.channel!r}")
    outcomes: dict[int, Outcome] = {}
    won = notices_claim(claims=[(m.recipient.pk, m.kind, m.key) for m in messages])
    claimed: list[tuple[int, Outgoing]] = []
    for index, given in enumerate(messages):
        claim = (given.recipient.pk, given.kind, given.key)
        if claim in won:
            # The same message twice in one batch goes once, like two sends.
            won.discard(claim)
            claimed.append((index, given))
        else:
            outcomes[index] = Outcome(sent=False)
    try:
        _deliver(claimed, outcomes)
    except BaseException:
        # What was claimed and not settled goes back, so a later run sends it.
        for index, given in claimed:
            if index not in outcomes:
                notice_withdraw(user=given.recipient, kind=given.kind, key=given.key)
        raise
    return [outcomes[index] for index in range(len(messages))]


def _deliver(claimed: list[tuple[int, Outgoing]], outcomes: dict[int, Outcome]) -> None:
    """Send the claimed messages (index in the batch, message) by each one's
    channel and preference, writing each one's outcome into `outcomes`."""
    choices = notice_choices(
        wanted=[(m.recipient.pk, m.kind) for _, m in claimed if not m.required]
    )
    held: list[tuple[_Message, str, str, str]] = []
    held_outcomes: dict[int, Outcome] = {}
    emails: list[tuple[int, _Message]] = []
    chats: list[tuple[int, _Message, str]] = []
    for index, outgoing in claimed:
        message = _Message(outgoing)
        channel = outgoing.channel
        if not outgoing.required:
            choice = choices[outgoing.recipient.pk, outgoing.kind]
            if not choice.wanted:
                why = (
                    "All notices paused."
                    if choice.paused
                    else "Turned off by the person."
                )
                held.append((message, channel, Delivery.Status.SKIPPED, why))
                held_outcomes[index] = Outcome(sent=False)
                continue
            if choice.chosen:
                channel = choice.channel
                if choice.timing == Timing.DIGEST:
                    held.append((message, channel, Delivery.Status.QUEUED, ""))
                    held_outcomes[index] = Outcome(sent=True)
                    continue
        if channel == Channel.EMAIL:
            emails.append((index, message))
        else:
            chats.append((index, message, channel))
    sending = Delivery.Status.SENDING
    opened = _records(
        held + [(message, Channel.EMAIL, sending, "") for _, message in emails]
    )
    outcomes.update(held_outcomes)  # recorded: skipped, or waiting for the digest
    connection = get_connection()
    # If the mail server cannot be reached now, each e-mail tries again on its
    # own below and records its own error.
    with suppress(Exception):
        connection.open()
    try:
        sent: list[int] = []
        for (index, message), delivery_id in zip(
            emails, opened[len(held) :], strict=True
        ):
            try:
                with translation.override(message.recipient.preferred_language):
                    message.email_send(connection)
            except Exception as error:  # noqa: BLE001 (in its outcome; the rest go)
                # A dropped session stays "open" to Django: closed here, the next
                # e-mail connects again instead of failing like this one.
                connection.close()
                message.finish(
                    delivery_id, Delivery.Status.FAILED, type(error).__name__
                )
                outcomes[index] = message.withdrawn(error)
            else:
                sent.append(delivery_id)
                outcomes[index] = Outcome(sent=True)
        Delivery.objects.filter(pk__in=sent).update(
            status=Delivery.Status.SENT, finished_at=clock.now()
        )
        for index, message, channel in chats:
            try:
                with translation.override(message.recipient.preferred_language):
                    message.dispatch(channel, connection)
            except Exception as error:  # noqa: BLE001 (in its outcome; the rest go)
                outcomes[index] = message.withdrawn(error)
            else:
                outcomes[index] = Outcome(sent=True)
    finally:
        connection.close()


def _records(entries: list[tuple[_Message, str, str, str]]) -> list[int]:
    """The Delivery (its id) of each (message, channel, status, error), one more
    attempt of it: read in one query, the new ones written in one (a row already
    there is a message tried before, whose claim was withdrawn)."""
    if not entries:
        return []
    existing = {
        (user_id, kind, key, channel): pk
        for pk, user_id, kind, key, channel in Delivery.objects.filter(
            user_id__in={message.recipient.pk for message, *_ in entries},
            key__in={message.key for message, *_ in entries},
        ).values_list("pk", "user_id", "kind", "key", "channel")
    }
    now = clock.now()
    fresh: list[tuple[Any, ...]] = []
    for message, channel, status, error in entries:
        finished = None if status in ("sending", "queued") else now
        pk = existing.get((message.recipient.pk, message.kind, message.key, channel))
        if pk is not None:
            Delivery.objects.filter(pk=pk).update(
                status=status,
                error=error[:300],
                attempts=F("attempts") + 1,
                finished_at=finished,
            )
        else:
            fresh.append(message.delivery_row(channel, status, error, now, finished))
    inserted = rows_insert(
        Delivery,
        DELIVERY_ROW,
        fresh,
        returning=("id", "user_id", "kind", "key", "channel"),
    )
    existing.update((tuple(row[1:]), row[0]) for row in inserted)
    return [
        existing[message.recipient.pk, message.kind, message.key, channel]
        for message, channel, *_ in entries
    ]


# The columns of a new Delivery row, in the order of _Message.delivery_row.
DELIVERY_ROW = (
    "user_id",
    "kind",
    "key",
    "channel",
    "status",
    "error",
    "retries",
    "attempts",
    "fallback_of_id",
    "subject",
    "text",
    "url",
    "created_at",
    "finished_at",
)


class _Message:
    def __init__(self, outgoing: Outgoing) -> None:
        self.recipient = outgoing.recipient
        self.kind = outgoing.kind
        self.key = outgoing.key
        self.subject = outgoing.subject
        self.text = outgoing.text
        self.html = outgoing.html
        self.url = outgoing.url
        self.required = outgoing.required
        self.connection: BaseEmailBackend | None = None

    def delivery_row(
        self,
        channel: str,
        status: str,
        error: str,
        now: dt.datetime,
        finished: dt.datetime | None,
    ) -> tuple[Any, ...]:
        """The values of a new Delivery row of this message on `channel`, its
        first attempt, in the order of DELIVERY_ROW."""
        return (
            self.recipient.pk,
            self.kind,
            self.key,
            channel,
            status,
            error[:300],
            0,
            1,
            None,
            self.subject[:200],
            self.text,
            self.url or "",
            now,
            finished,
        )

    def withdrawn(self, error: Exception) -> Outcome:
        """Give the claim back: a later run tries again."""
        notice_withdraw(user=self.recipient, kind=self.kind, key=self.key)
        return Outcome(sent=False, error=error)

    def record(
        self,
        channel: str,
        status: str,
        error: str = "",
        *,
        retries: int = 0,
        fallback_of: Delivery | None = None,
    ) -> Delivery:
        """The Delivery of this message on `channel`, one more attempt."""
        finished = None if status in ("sending", "queued") else clock.now()
        delivery, created = Delivery.objects.get_or_create(
            user=self.recipient,
            kind=self.kind,
            key=self.key,
            channel=channel,
            defaults={
                "status": status,
                "error": error[:300],
                "retries": retries,
                "attempts": 1,
                "fallback_of": fallback_of,
                "subject": self.subject[:200],
                "text": self.text,
                "url": self.url or "",
                "finished_at": finished,
            },
        )
        if not created:
            Delivery.objects.filter(pk=delivery.pk).update(
                status=status,
                error=error[:300],
                retries=F("retries") + retries,
                attempts=F("attempts") + 1,
                finished_at=finished,
            )
        return delivery

    def finish(
        self, delivery_id: int, status: str, error: str = "", retries: int = 0
    ) -> None:
        Delivery.objects.filter(pk=delivery_id).update(
            status=status,
            error=error[:300],
            retries=F("retries") + retries,
            finished_at=clock.now(),
        )

    def dispatch(self, channel: str, connection: BaseEmailBackend) -> None:
        self.connection = connection
        if channel == Channel.EMAIL:
            self.email()
            return
        delivery = self.record(channel, Delivery.Status.SENDING)
        try:
            retries = self.chat(channel)
        except DeliveryFailed as failure:
            self.finish(
                delivery.pk, Delivery.Status.FAILED, failure.error, failure.retries
            )
            self.email(fallback_of=delivery)
        else:
            self.finish(delivery.pk, Delivery.Status.SENT, retries=retries)

    def chat(self, channel: str) -> int:
        if channel == Channel.SLACK:
            token = slack_token()
            if token is None:
                raise DeliveryFailed("Slack is not connected.")
            return self.slack(token)
        webhook = teams_webhook_for(self.recipient)
        address = teams_webhook_url(webhook) if webhook else None
        if address is None:
            raise DeliveryFailed("No Teams channel for this person's team.")
        assert webhook is not None
        try:
            # A team channel is read by the whole team: the card says who it is for.
            retries = teams_post(
                webhook_url=address,
                subject=f"{self.recipient.full_name}: {self.subject}",
                text=self.text,
                url=self.url,
            )
        except DeliveryFailed as failure:
            TeamsWebhook.objects.filter(pk=webhook.pk).update(
                last_error=failure.error[:200]
            )
            raise
        if webhook.last_error:
            TeamsWebhook.objects.filter(pk=webhook.pk).update(last_error="")
        return retries

    def slack(self, token: str) -> int:
        recipient = self.recipient
        identity = SlackIdentity.objects.filter(
            user=recipient, email=recipient.email
        ).first()
        try:
            sent = slack_direct_message(
                token=token,
                email=recipient.email,
                subject=self.subject,
                text=self.text,
                url=self.url,
                known=(identity.member_id, identity.dm_channel) if identity else None,
            )
        except DeliveryFailed:
            # Perhaps they left the workspace or the DM was closed: look them up
            # afresh next time.
            SlackIdentity.objects.filter(user=recipient).delete()
            raise
        if identity is None:
            SlackIdentity.objects.update_or_create(
                user=recipient,
                defaults={
                    "email": recipient.email,
                    "member_id": sent.member_id,
                    "dm_channel": sent.dm_channel,
                    "found_at": clock.now(),
                },
            )
        return sent.retries

    def email(self, *, fallback_of: Delivery | None = None) -> None:
        delivery = self.record(
            Channel.EMAIL, Delivery.Status.SENDING, fallback_of=fallback_of
        )
        try:
            self.email_send(self.connection)
        except Exception as error:
            self.finish(delivery.pk, Delivery.Status.FAILED, f"{type(error).__name__}")
            raise
        self.finish(delivery.pk, Delivery.Status.SENT)

    def email_send(self, connection: BaseEmailBackend | None) -> None:
        notice_email_send(
            user=self.recipient,
            kind=self.kind,
            subject=self.subject,
            text=self.text,
            html=self.html,
            required=self.required,
            connection=connection,
        )


DIGEST_KIND = "notice_digest"
# Each person's digest goes out with the first hourly run after this local hour.
DIGEST_HOUR = 8


def digests_send() -> int:
    """E-mail each person who has messages queued for their daily digest one
    e-mail listing them, once per local day, from 08:00 their time. Run hourly by
    beat; returns how many digests went out."""
    sent = 0
    waiting: dict[int, list[Delivery]] = defaultdict(list)
    for delivery in (
        Delivery.objects.filter(status=Delivery.Status.QUEUED, user__is_active=True)
        .select_related("user")
        .order_by("created_at")
    ):
        waiting[delivery.user_id].append(delivery)
    for queued in waiting.values():
        user = queued[0].user
        local = clock.now().astimezone(clock.zone(user.time_zone))
        if local.hour < DIGEST_HOUR:
            continue
        choice = notice_choice(user=user, kind=DIGEST_KIND)
        if not choice.wanted:
            # Paused, or the digest itself unsubscribed: what waited is dropped,
            # as it would have been had it come at once.
            Delivery.objects.filter(pk__in=[d.pk for d in queued]).update(
                status=Delivery.Status.SKIPPED,
                error="All notices paused." if choice.paused else "Digest turned off.",
                finished_at=clock.now(),
            )
            continue
        if notify_once(
            user=user,
            kind=DIGEST_KIND,
            key=f"digest:{local.date().isoformat()}",
            subject=digest_subject(user=user, day=local.date()),
            template="automation/email/notice_digest",
            context={"deliveries": queued},
        ):
            Delivery.objects.filter(pk__in=[d.pk for d in queued]).update(
                status=Delivery.Status.SENT, finished_at=clock.now()
            )
            sent += 1
    return sent
