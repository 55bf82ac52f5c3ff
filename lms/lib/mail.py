"""The retry policy of every job that sends e-mail.

A mail server that is down, refuses a connection or times out is worth trying again,
later and later; each notice is sent once (lms.notifications), so a retry never sends
one twice. Use it as `@shared_task(**MAIL_RETRY)`.
"""

from __future__ import annotations

from smtplib import SMTPException
from typing import Any, Final

MAIL_RETRY: Final[dict[str, Any]] = {
    "autoretry_for": (SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": True,
    "max_retries": 5,
}
