"""The one door for automated messages to a person: e-mail, Slack or Teams.

Sequences call `send`; it is idempotent on (recipient, kind, key) through the
notification log, applies the person's preferences (unless the message is
required), records a Delivery row per channel tried, and falls back to e-mail once
when a chat channel fails or is not connected.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import F

from automation.channels import DeliveryFailed
from automation.channels.slack import slack_direct_message
from automation.channels.teams import teams_post
from automation.connections import slack_token, teams_webhook_for, teams_webhook_url
from automation.models import Delivery, SlackIdentity, TeamsWebhook
from automation.notice_kinds import digest_subject
from lms.accounts.models import User
from lms.lib import clock
from lms.notifications.models import Channel, Timing
from lms.notifications.preferences import notice_choice
from lms.notifications.services import (
    notice_email_send,
    notice_record,
    notice_withdraw,
    notify_once,
)

CHANNELS = (Channel.EMAIL, Channel.SLACK, Channel.TEAMS)


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
    if channel not in CHANNELS:
        raise ValueError(f"Unknown channel {channel!r}")
    if not notice_record(user=recipient, kind=kind, key=key):
        return False
    message = _Message(recipient, kind, key, subject, text, html, url, required)
    if not required:
        choice = notice_choice(user=recipient, kind=kind)
        if not choice.wanted:
            message.record(
                channel,
                Delivery.Status.SKIPPED,
                "All notices paused." if choice.paused else "Turned off by the person.",
            )
            return False
        if choice.chosen:
            channel = choice.channel
            if choice.timing == Timing.DIGEST:
                message.record(channel, Delivery.Status.QUEUED)
                return True
    try:
        message.dispatch(channel)
    except Exception:
        notice_withdraw(user=recipient, kind=kind, key=key)
        raise
    return True


class _Message:
    def __init__(
        self,
        recipient: User,
        kind: str,
        key: str,
        subject: str,
        text: str,
        html: str,
        url: str | None,
        required: bool,
    ) -> None:
        self.recipient = recipient
        self.kind = kind
        self.key = key
        self.subject = subject
        self.text = text
        self.html = html
        self.url = url
        self.required = required

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
        self, delivery: Delivery, status: str, error: str = "", retries: int = 0
    ) -> None:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=status,
            error=error[:300],
            retries=F("retries") + retries,
            finished_at=clock.now(),
        )

    def dispatch(self, channel: str) -> None:
        if channel == Channel.EMAIL:
            self.email()
            return
        delivery = self.record(channel, Delivery.Status.SENDING)
        try:
            retries = self.chat(channel)
        except DeliveryFailed as failure:
            self.finish(
                delivery, Delivery.Status.FAILED, failure.error, failure.retries
            )
            self.email(fallback_of=delivery)
        else:
            self.finish(delivery, Delivery.Status.SENT, retries=retries)

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
            notice_email_send(
                user=self.recipient,
                kind=self.kind,
                subject=self.subject,
                text=self.text,
                html=self.html,
                required=self.required,
            )
        except Exception as error:
            self.finish(delivery, Delivery.Status.FAILED, f"{type(error).__name__}")
            raise
        self.finish(delivery, Delivery.Status.SENT)


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
