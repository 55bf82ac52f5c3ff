"""Rendered HTML fragments found again by exactly the values they show (issue 20).

A page that must never show a stale figure still reads its figures at every request;
what it need not do again is turn the same figures into the same HTML. `fragment`
renders a template from a context of plain values only (no request, no objects, no
context processors) and keeps the HTML in this process under the exact text of
those values, with everything else the output depends on: the template, the
language, the time zone and the script prefix. So a changed value is a different
key, read afresh at once, and nothing needs to be told that data changed.

The rules that make the key exact, enforced on every call:
- values are None, bool, int, float, str, Decimal, date or datetime, or tuples or
  dicts (with str keys) of them: their `repr` says both type and value (1, 1.0,
  True and Decimal("1.0") differ), where objects could hide state behind theirs;
- a str subclass, such as Django's SafeString or a lazy translation, is refused: it
  would render differently from the plain str with the same `repr`.

The entries live in this process's memory (at most MAX_CHARACTERS, least recently
used first out), never in the shared cache: nothing from an older deployment's templates
or catalogues can be read back, and a process that never saw a value renders it.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from decimal import Decimal
from typing import Any

from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

PLAIN = frozenset({type(None), bool, int, float, str, Decimal, dt.date, dt.datetime})
# At most this many characters of HTML per process, with their keys (a row of My team
# is about a kilobyte): a visitor's made-up query strings make new keys, and push
# out the oldest.
MAX_CHARACTERS = 16_000_000

_rendered: OrderedDict[str, SafeString] = OrderedDict()
_size = 0
_lock = threading.Lock()


def _check_plain(value: Any) -> None:
    kind = type(value)
    if kind in PLAIN:
        return
    if kind is tuple:
        for item in value:
            _check_plain(item)
        return
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str:
                raise TypeError(f"fragment context keys must be str, not {key!r}")
            _check_plain(item)
        return
    raise TypeError(
        f"a fragment is rendered from plain values only, not {kind.__name__}: {value!r}"
    )


def fragment(template_name: str, **context: Any) -> SafeString:
    """`template_name` rendered from `context` (plain values, see above), rendered
    again only for values this process has not rendered yet."""
    _check_plain(context)
    key = repr(
        (
            template_name,
            get_language(),
            timezone.get_current_timezone_name(),
            get_script_prefix(),
            context,
        )
    )
    with _lock:
        html = _rendered.get(key)
        if html is not None:
            _rendered.move_to_end(key)
            return html
    html = mark_safe(get_template(template_name).render(context))  # noqa: S308
    global _size
    with _lock:
        if key not in _rendered:
            _rendered[key] = html
            _size += len(key) + len(html)
        while _size > MAX_CHARACTERS:
            old_key, old_html = _rendered.popitem(last=False)
            _size -= len(old_key) + len(old_html)
    return html
