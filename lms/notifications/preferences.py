"""What each person wants to receive, and the one-click unsubscribe (RFC 8058).

A kind of notice is registered by the app that sends it (`register_notice_kind`),
with a label for the preferences page and whether it may go to chat (the fixed
notices are e-mails: they may be turned off, not moved). A kind with a suffix after
a colon ("sequence:12") follows the preference of its prefix ("sequence").

Required notices (security, account) never consult any of this.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.core import signing
from django.db import transaction
from django.utils.functional import Promise

from lms.accounts.models import User
from lms.lib import clock
from lms.lib.signing import signed
from lms.lib.urls import token_url
from lms.notifications.models import Channel, NoticePause, NoticePreference, Timing

UNSUBSCRIBE_SALT = "lms.notifications.unsubscribe"


@dataclass(frozen=True)
class NoticeKind:
    kind: str
    label: str | Promise  # lazily translated: shown in the reader's language
    # Whether the person may choose Slack or Teams, and a digest, for it.
    any_channel: bool = False


_KINDS: dict[str, NoticeKind] = {}


def register_notice_kind(kind: NoticeKind) -> None:
    _KINDS[kind.kind] = kind


def notice_kinds() -> list[NoticeKind]:
    return sorted(_KINDS.values(), key=lambda k: str(k.label))


def notice_kind_label(kind: str) -> str:
    known = _KINDS.get(kind) or _KINDS.get(_family(kind))
    return str(known.label) if known else kind.replace("_", " ")


def _family(kind: str) -> str:
    return kind.split(":", 1)[0]


@dataclass(frozen=True)
class NoticeChoice:
    channel: str
    timing: str
    paused: bool
    # Whether the person set it (otherwise the defaults: e-mail, at once).
    chosen: bool = False

    @property
    def wanted(self) -> bool:
        return not self.paused and self.channel != Channel.OFF


def notice_choice(*, user: User, kind: str) -> NoticeChoice:
    """The person's choice for this kind of notice (two queries)."""
    return notice_choices(wanted=[(user.pk, kind)])[user.pk, kind]


def notice_choices(
    *, wanted: Collection[tuple[int, str]]
) -> dict[tuple[int, str], NoticeChoice]:
    """Each (person id, kind)'s choice, as notice_choice, for a whole batch of
    messages in two queries."""
    if not wanted:
        return {}
    user_ids = {user_id for user_id, _ in wanted}
    kinds = {name for _, kind in wanted for name in (kind, _family(kind))}
    rows = {
        (row.user_id, row.kind): row
        for row in NoticePreference.objects.filter(user_id__in=user_ids, kind__in=kinds)
    }
    paused = set(
        NoticePause.objects.filter(user_id__in=user_ids).values_list(
            "user_id", flat=True
        )
    )
    choices = {}
    for user_id, kind in wanted:
        row = rows.get((user_id, kind)) or rows.get((user_id, _family(kind)))
        choices[user_id, kind] = NoticeChoice(
            channel=row.channel if row else Channel.EMAIL,
            timing=row.timing if row else Timing.IMMEDIATE,
            paused=user_id in paused,
            chosen=row is not None,
        )
    return choices


def notice_preferences_of(*, user: User) -> dict[str, NoticePreference]:
    return {row.kind: row for row in NoticePreference.objects.filter(user=user)}


def notices_paused(*, user: User) -> bool:
    return NoticePause.objects.filter(user=user).exists()


@transaction.atomic
def notice_preference_set(
    *, user: User, kind: str, channel: str, timing: str = Timing.IMMEDIATE
) -> NoticePreference:
    """Record how the person wants `kind`: the preferences page and unsubscribe."""
    preference, _ = NoticePreference.objects.update_or_create(
        user=user,
        kind=kind,
        defaults={"channel": channel, "timing": timing, "updated_at": clock.now()},
    )
    return preference


@transaction.atomic
def notices_pause_set(*, user: User, paused: bool) -> None:
    """Pause or resume every notice that is not required."""
    if paused:
        NoticePause.objects.get_or_create(user=user)
    else:
        NoticePause.objects.filter(user=user).delete()


def unsubscribe_token(*, user: User, kind: str) -> str:
    """A signed token naming the person and the kind: the unsubscribe link works
    without signing in (mail clients POST it), and opens nothing else."""
    return signed([user.pk, _family(kind)], salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(*, user: User, kind: str) -> str:
    return token_url("notice_unsubscribe", unsubscribe_token(user=user, kind=kind))


def unsubscribe_target(token: str) -> tuple[User, str] | None:
    """The active person and kind a token names, or None if it was tampered with."""
    try:
        user_id, kind = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not isinstance(kind, str):
        return None
    return user, kind


def notice_unsubscribe(*, user: User, kind: str) -> None:
    """Stop `kind` for the person, whatever channel it used."""
    notice_preference_set(user=user, kind=_family(kind), channel=Channel.OFF)


def unsubscribe_headers(*, user: User, kind: str) -> dict[str, str]:
    """List-Unsubscribe with a one-click POST (RFC 8058), for notices that are not
    required. RFC 8058 wants an https address in production; SITE_URL gives it."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user=user, kind=kind)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
