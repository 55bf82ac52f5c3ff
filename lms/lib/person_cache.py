"""State computed for one person and kept in Django's cache between requests (issue
20): their progress on My learning and the start page, the lock state of a lesson.

An entry is found under a key made of the person's version, the site-wide version and
the person's local date, so it is never read again once any of these moves:

- the person's version changes on every change to their own rows (a completion, an
  assignment, their team, start date or time zone): the layers that own those rows
  call `person_changed` (usually from a signal receiver);
- the site-wide version changes on every change to what everyone's state is built
  from (teams and who manages or coaches them, roles, published content):
  `everyone_changed`;
- a new day in the person's time zone starts a new key;
- an entry may also say until when it holds (`valid_until`), for state that changes
  with the clock inside a day.

A version changes at once and again when the transaction commits: a request that read
the rows before the commit and stored its state under the new version is overwritten
by the second change, so no stale state (and no withdrawn permission) outlives a
commit. Versions are random tokens: a version evicted from the cache is replaced by a
new one, which no stored entry can match.

It needs a cache that every process shares (Redis): `settings.PERSON_CACHE` is on by
default only then; otherwise every read computes afresh.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from lms.lib import clock, request_cache

T = TypeVar("T")

EVERYONE = "onramp:pv:everyone"
# Entries outlive their day by nothing: the key holds the date.
ENTRY_SECONDS = 26 * 3600
VERSION_SECONDS = 30 * 24 * 3600


def _person(pk: int) -> str:
    return f"onramp:pv:{pk}"


def _bump(keys: list[str]) -> None:
    cache.set_many({key: uuid.uuid4().hex for key in keys}, timeout=VERSION_SECONDS)
    request_cache.clear()  # the versions this request read (`_current`) are gone


def _bump_now_and_on_commit(keys: list[str]) -> None:
    if not keys:
        return
    _bump(keys)
    if transaction.get_connection().in_atomic_block:  # outside one it has committed
        transaction.on_commit(lambda: _bump(keys))


def person_changed(*, user_ids: Iterable[int | None]) -> None:
    """These people's own state changed: their cached state is not read again."""
    _bump_now_and_on_commit(sorted({_person(pk) for pk in user_ids if pk}))


def everyone_changed() -> None:
    """Something everyone's state is built from changed (teams, roles, content)."""
    _bump_now_and_on_commit([EVERYONE])


def on_person_row_change(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A signal receiver for rows that belong to one person through `user_id`."""
    person_changed(user_ids=[instance.user_id])


def on_shared_change(sender: Any, **kwargs: Any) -> None:
    """A signal receiver for changes that reach everyone's state."""
    everyone_changed()


def _current(keys: list[str]) -> list[str]:
    """The versions under `keys`, read from the cache once per request (a request's
    several cached parts share them; `lms.lib.request_cache`, which a change made in
    this process empties at once). A missing version is created."""
    known: dict[str, str] = request_cache.cached("person_cache.versions", dict)
    unknown = [key for key in keys if key not in known]
    if unknown:
        found: dict[str, str] = cache.get_many(unknown)
        missing = [key for key in unknown if key not in found]
        if missing:
            # add(): two requests that find no version agree on the first one stored.
            for key in missing:
                cache.add(key, uuid.uuid4().hex, timeout=VERSION_SECONDS)
            found.update(cache.get_many(missing))
        known.update(found)
    return [known[key] for key in keys]


def cached_for_person(
    *,
    user: Any,
    name: str,
    compute: Callable[[], tuple[T, dt.datetime | None]],
) -> T:
    """`compute()`'s value for this person, read again only after a change of theirs,
    a change for everyone, a new day in their time zone, or the instant the value
    said it holds until. `compute` returns (value, valid_until or None). Without a
    cache shared by every process (`settings.PERSON_CACHE`) it always computes."""
    if not settings.PERSON_CACHE:
        return compute()[0]
    mine, everyone = _current([_person(user.pk), EVERYONE])
    day = clock.today(user.time_zone)
    key = f"onramp:pc:{name}:{user.pk}:{mine}:{everyone}:{day.isoformat()}"
    entry = cache.get(key)
    if entry is not None:
        valid_until, value = entry
        if valid_until is None or clock.now() < valid_until:
            stored: T = value
            return stored
    value, valid_until = compute()
    cache.set(key, (valid_until, value), timeout=ENTRY_SECONDS)
    return value


def cached_for_everyone(
    *, name: str, compute: Callable[[], T], keep: Callable[[T], bool] | None = None
) -> T:
    """`compute()`'s value, the same for everyone (content, paths), read again only
    after a change for everyone (`everyone_changed`). With `keep`, a value it refuses
    is not stored (names made from what a visitor sends, such as a missing page's
    address, must not fill the cache)."""
    if not settings.PERSON_CACHE:
        return compute()
    (everyone,) = _current([EVERYONE])
    key = f"onramp:ec:{name}:{everyone}"
    entry = cache.get(key)
    if entry is not None:
        stored: T = entry[0]
        return stored
    value = compute()
    if keep is None or keep(value):
        cache.set(key, (value,), timeout=ENTRY_SECONDS)
    return value
