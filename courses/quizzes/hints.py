"""Lines the quiz result page adds under "What happens next", from higher layers.

Quizzes know nothing about what a pass leads to elsewhere; a layer that cares (such as
certificates: "Certified Discovery Seller: 3 of 4 requirements met") registers a
function in its AppConfig.ready(), and the result page shows whatever it returns.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from courses.quizzes.models import QuizPage
    from lms.accounts.models import User

ResultHint = Callable[["User", "QuizPage"], "str | None"]

logger = logging.getLogger(__name__)

_HINTS: list[ResultHint] = []


def register_result_hint(fn: ResultHint) -> None:
    """Add a hint to every quiz result page; registering the same one again is a
    no-op (ready() may run more than once in tests)."""
    if fn not in _HINTS:
        _HINTS.append(fn)


def result_hints(user: User, quiz: QuizPage) -> list[str]:
    """The non-empty hints for this person and quiz, in registration order. A hint
    that fails is logged and left out: the result page must always render."""
    hints = []
    for fn in _HINTS:
        try:
            hint = fn(user, quiz)
        except Exception:
            logger.exception("Quiz result hint %r failed", fn)
            continue
        if hint:
            hints.append(hint)
    return hints
