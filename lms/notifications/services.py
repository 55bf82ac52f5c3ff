"""Sending a person one e-mail notice, once."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from lms.accounts.models import User
from lms.lib.digits import localize_digits_for
from lms.lib.mime import PlainAndHtmlEmail
from lms.notifications.models import NotificationLog
from lms.notifications.preferences import notice_choice, unsubscribe_headers


def notify_once(
    *,
    user: User,
    kind: str,
    key: str,
    subject: str,
    template: str,
    context: dict[str, Any],
    connection: BaseEmailBackend | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
    required: bool = False,
) -> bool:
    """E-mail `user` the notice `kind` about `key`, unless it was sent before.

    Used by the periodic jobs (course reminders and digests, later certificate
    expiry) so that they can run as often as they like without repeating
    themselves. The notice is claimed first, in its own transaction, so two runs at
    once send it once; no transaction stays open while the mail server answers. If
    sending fails the claim is withdrawn, so a later run tries again, and the error
    is raised. Returns whether this call sent it.

    The e-mail has a plain-text part, `<template>.txt` (written inside
    `{% autoescape off %}`), and an HTML part, `<template>.html` (extending
    `notifications/email_base.html`); both get `context` plus `subject`,
    `organisation` and `site_url` (for absolute links). `attachments` are
    (filename, content, MIME type), e.g. a calendar event for a due date.

    Unless the notice is `required` (security, account), the person's preferences
    apply (lms.notifications.preferences): a kind turned off, or all notices
    paused, is recorded as given and not sent; what is sent carries
    List-Unsubscribe with one-click unsubscribe (RFC 8058).
    """
    if not notice_record(user=user, kind=kind, key=key):
        return False
    if not required and not notice_choice(user=user, kind=kind).wanted:
        return False
    try:
        # In the recipient's language, not the sender's.
        with translation.override(user.preferred_language):
            context = {
                **context,
                "subject": str(subject),
                "organisation": settings.ORGANISATION_NAME,
                "site_url": settings.SITE_URL,
            }
            notice_email_send(
                user=user,
                kind=kind,
                subject=str(subject),
                text=render_to_string(f"{template}.txt", context),
                html=render_to_string(f"{template}.html", context),
                required=required,
                connection=connection,
                attachments=attachments,
            )
    except Exception:
        notice_withdraw(user=user, kind=kind, key=key)
        raise
    return True


def notice_record(*, user: User, kind: str, key: str) -> bool:
    """Claim the notice `kind` about `key` for `user`, in its own transaction, so
    that two runs at once give it once: the senders claim before sending, and a
    job records a notice as given without sending it when another e-mail already
    said the same (a notice of new training that says it is due tomorrow stands
    for the "due soon" one). Returns whether it was new."""
    with transaction.atomic():
        _, created = NotificationLog.objects.get_or_create(
            user=user, kind=kind, key=key
        )
    return created


# Rows per INSERT: four parameters each, well under SQLite's limit.
CLAIM_CHUNK = 200


Claim = tuple[int, str, str]


def notices_claim(*, claims: Collection[Claim]) -> set[Claim]:
    """Claim many notices at once, as notice_record does one: `claims` are
    (user id, kind, key); returns those this call claimed. One INSERT per 200
    claims, each its own statement, committed at once unless the caller holds a
    transaction: the unique constraint decides, and the database says which rows
    it inserted (`ON CONFLICT DO NOTHING RETURNING`, PostgreSQL and SQLite 3.35+),
    so two runs at once claim each notice once. Sorted, so that two runs wait for
    each other's rows in the same order rather than deadlock."""
    meta = NotificationLog._meta
    quote = connection.ops.quote_name
    field = {f.name: f for f in meta.concrete_fields}
    columns = [str(field[name].column) for name in ("user", "kind", "key")]
    sent_at = field["sent_at"]
    stamp = sent_at.get_db_prep_value(timezone.now(), connection)
    rows = sorted(set(claims))
    won: set[Claim] = set()
    for start in range(0, len(rows), CLAIM_CHUNK):
        chunk = rows[start : start + CLAIM_CHUNK]
        sql = (
            f"INSERT INTO {quote(meta.db_table)} "
            f"({', '.join(quote(c) for c in [*columns, str(sent_at.column)])}) "
            f"VALUES {', '.join(['(%s, %s, %s, %s)'] * len(chunk))} "
            f"ON CONFLICT DO NOTHING "
            f"RETURNING {', '.join(quote(c) for c in columns)}"
        )
        params = [value for row in chunk for value in (*row, stamp)]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            won.update(tuple(row) for row in cursor.fetchall())
    return won


def notice_withdraw(*, user: User, kind: str, key: str) -> None:
    """Give the claim back (sending failed), so that a later run tries again."""
    NotificationLog.objects.filter(user=user, kind=kind, key=key).delete()


def notice_email_send(
    *,
    user: User,
    kind: str,
    subject: str,
    text: str,
    html: str,
    required: bool,
    connection: BaseEmailBackend | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> None:
    """Send one notice e-mail now (a plain-text and an HTML part); unless it is
    required it carries List-Unsubscribe with one-click unsubscribe. Errors from
    the mail server are raised to the caller, who withdraws its claim. The
    subject and both parts are in the recipient's language, so their numbers are
    written in its digits (lms.lib.digits; links and codes keep theirs)."""
    language = user.preferred_language
    message = PlainAndHtmlEmail(
        subject=localize_digits_for(language, text=subject),
        body=localize_digits_for(language, text=text),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        connection=connection,
        headers={} if required else unsubscribe_headers(user=user, kind=kind),
    )
    message.attach_alternative(
        localize_digits_for(language, text=html, html=True), "text/html"
    )
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()
