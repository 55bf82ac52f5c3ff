"""API tokens: made, checked and revoked here only.

A token reads `onr_<prefix>_<secret>`. The prefix finds the row; only the SHA-256 of
the whole token is stored, and it is compared in constant time. Tokens are random
(256 bits), so a fast hash is enough: nothing can be guessed offline.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from integrations.models import ApiToken
from integrations.scopes import ScopeError, clean_scopes
from lms.accounts.models import User

TOKEN_PREFIX = "onr_"
# Writes of last_used_at at most this often per token.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


class TokenRefused(Exception):
    """A token that cannot be made; the message is for the person asking."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def may_hold_tokens(user: User) -> bool:
    """Managers and enablement admins may make tokens; reps and coaches may not."""
    return user.is_active and (user.is_manager or user.is_enablement_admin)


@transaction.atomic
def api_token_create(
    *,
    user: User,
    name: str,
    scopes: list[str],
    service: bool = False,
    expires_at: dt.datetime | None = None,
    created_by: User | None = None,
) -> NewToken:
    """Make a token for `user`. Service tokens need an enablement admin, personal
    ones a manager or admin; service-only scopes need a service token."""
    if service and not user.is_enablement_admin:
        raise TokenRefused(gettext("Only enablement admins hold service tokens."))
    if not may_hold_tokens(user):
        raise TokenRefused(
            gettext(
                "%(email)s is not a manager or an enablement admin: "
                "only they may hold API tokens."
            )
            % {"email": user.email}
        )
    try:
        scopes = clean_scopes(scopes, service=service)
    except ScopeError as error:
        raise TokenRefused(str(error)) from None
    if expires_at is not None and expires_at <= timezone.now():
        raise TokenRefused(gettext("The expiry must be in the future."))
    name = name.strip()
    if not name:
        raise TokenRefused(gettext("Give the token a name."))
    prefix = secrets.token_hex(6)
    raw = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        kind=ApiToken.Kind.SERVICE if service else ApiToken.Kind.PERSONAL,
        name=name[:100],
        prefix=prefix,
        secret_hash=_hash(raw),
        scopes=scopes,
        expires_at=expires_at,
        created_by=created_by or user,
    )
    return NewToken(token=token, secret=raw)


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke at once: the next request with it gets 401."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    token.refresh_from_db()
    return token


def api_tokens_revoke_for(*, user: User) -> int:
    """Revoke every token of a person (deactivation)."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def api_token_authenticate(raw: str) -> ApiToken | None:
    """The usable token this string is, with its active person, or None."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    prefix, _, secret = raw[len(TOKEN_PREFIX) :].partition("_")
    if not prefix or not secret:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.secret_hash, _hash(raw)):
        return None
    if not token.is_usable or not token.user.is_active:
        return None
    if token.kind == ApiToken.Kind.SERVICE and not token.user.is_enablement_admin:
        return None  # a service token acts as an admin: only while its person is one
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def tokens_visible_to(user: User) -> list[ApiToken]:
    """The tokens a person manages in the UI: their own; admins see service tokens
    too."""
    from django.db.models import Q

    condition = Q(user=user)
    if user.is_enablement_admin:
        condition |= Q(kind=ApiToken.Kind.SERVICE)
    return list(ApiToken.objects.filter(condition).select_related("user"))
