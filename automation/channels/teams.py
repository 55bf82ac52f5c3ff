"""Posts to a Microsoft Teams channel through a Workflows or incoming webhook.

The body is what Microsoft documents for both ("Send Adaptive Cards using an
Incoming Webhook"; the Workflows template "Post to a channel when a webhook request
is received"): a message whose one attachment has the content type
`application/vnd.microsoft.card.adaptive` and an Adaptive Card (version 1.4, what
Teams renders) as its content: a title, the text, and an Action.OpenUrl button.
An incoming webhook answers 200 (body "1"), a Workflows webhook 202; anything else
is a failure. A 429 is waited out once if its Retry-After is short.

The address is checked before every post: https, on a host Microsoft serves
webhooks from (TEAMS_WEBHOOK_HOST_SUFFIXES), so that a stored address cannot make
Onramp call an internal service. TEAMS_WEBHOOK_ALLOW_LOCAL admits
http://127.0.0.1 for the local fake.
"""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlsplit

import urllib3
from django.conf import settings
from django.utils.translation import gettext

from automation.channels import DeliveryFailed

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
TEXT_LIMIT = 4000

sleep = time.sleep


def webhook_address_problem(url: str) -> str | None:
    """Why this address is not a Teams webhook we post to, or None."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return gettext("This is not a web address.")
    if settings.TEAMS_WEBHOOK_ALLOW_LOCAL and parts.scheme in ("http", "https"):
        if host in ("127.0.0.1", "localhost"):
            return None
    if parts.scheme != "https":
        return gettext("A Teams webhook address starts with https://.")
    if parts.username or parts.password:
        return gettext("The address must not carry a user name or password.")
    suffixes = [s.lower() for s in settings.TEAMS_WEBHOOK_HOST_SUFFIXES]
    if not any(host.endswith(s) for s in suffixes):
        return gettext(
            "This host does not serve Teams webhooks (expected one ending in "
            "%(suffixes)s)."
        ) % {"suffixes": ", ".join(suffixes)}
    return None


def adaptive_card(*, subject: str, text: str, url: str | None) -> dict[str, Any]:
    # TextBlock text is Markdown in Teams: plain text is sent with its Markdown
    # characters escaped, so a message cannot make links or formatting.
    card: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": [
            {
                "type": "TextBlock",
                "text": markdown_escape(subject),
                "weight": "Bolder",
                "size": "Medium",
                "wrap": True,
            },
            {
                "type": "TextBlock",
                "text": markdown_escape(text[:TEXT_LIMIT]),
                "wrap": True,
            },
        ],
    }
    if url:
        card["actions"] = [
            {"type": "Action.OpenUrl", "title": gettext("Open in Onramp"), "url": url}
        ]
    return card


def markdown_escape(text: str) -> str:
    for char in "\\*_[]()#>`~":
        text = text.replace(char, "\\" + char)
    return text


def teams_post(*, webhook_url: str, subject: str, text: str, url: str | None) -> int:
    """Post the card; returns the retries it took, raises DeliveryFailed."""
    problem = webhook_address_problem(webhook_url)
    if problem:
        raise DeliveryFailed(problem)
    body = json.dumps(
        {
            "type": "message",
            "attachments": [
                {
                    "contentType": ADAPTIVE_CARD,
                    "contentUrl": None,
                    "content": adaptive_card(subject=subject, text=text, url=url),
                }
            ],
        }
    ).encode()
    http = urllib3.PoolManager(
        timeout=urllib3.Timeout(total=settings.TEAMS_TIMEOUT_SECONDS),
        retries=False,
    )
    retries = 0
    while True:
        try:
            response = http.request(
                "POST",
                webhook_url,
                body=body,
                headers={"Content-Type": "application/json"},
                redirect=False,
            )
        except urllib3.exceptions.HTTPError as error:
            raise DeliveryFailed(
                f"Teams webhook: {type(error).__name__}", retries=retries
            ) from None
        if response.status in (200, 202):
            return retries
        wait = response.headers.get("Retry-After", "")
        if response.status == 429 and retries == 0 and wait.isdigit():
            if int(wait) <= settings.SLACK_MAX_RETRY_AFTER_SECONDS:
                retries += 1
                sleep(int(wait))
                continue
        raise DeliveryFailed(
            f"Teams webhook answered {response.status}: "
            + response.data[:120].decode("utf-8", "replace"),
            retries=retries,
        )
