"""The wrappers around each way out: e-mail, Slack, Microsoft Teams. No ORM here:
automation.delivery decides who gets what where, and records the outcome."""

from __future__ import annotations


class DeliveryFailed(Exception):
    """The channel refused or could not take the message; `retries` says how many
    times it was tried again first (rate limits)."""

    def __init__(self, error: str, *, retries: int = 0) -> None:
        super().__init__(error)
        self.error = error
        self.retries = retries
