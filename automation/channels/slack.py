"""Direct messages from the Onramp Slack app, through the maintained client.

The calls, as Slack documents them (https://docs.slack.dev/reference/methods/):
`users.lookupByEmail` (scope users:read.email) finds the person by their e-mail,
`conversations.open` (im:write) opens the DM, `chat.postMessage` (chat:write)
posts a Block Kit message: the text, and a button that opens the page. `auth.test`
checks a token. A "ratelimited" answer (HTTP 429) names in `Retry-After` how many
seconds to wait: we wait that long, up to SLACK_MAX_RETRY_AFTER_SECONDS, at most
SLACK_MAX_RETRIES times; beyond, the delivery fails (and falls back to e-mail).

Text in mrkdwn is escaped as Slack asks: &, < and > become entities, so nothing a
message says turns into a link, a mention or formatting it did not mean.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from automation.channels import DeliveryFailed

# Slack's limits: a section's text is at most 3,000 characters, a button's text 75.
SECTION_LIMIT = 3000

sleep = time.sleep


@dataclass(frozen=True)
class SlackAccount:
    workspace: str
    bot_user: str


def slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def message_blocks(*, subject: str, text: str, url: str | None) -> list[dict[str, Any]]:
    body = slack_escape(text)
    if len(body) > SECTION_LIMIT:
        body = body[: SECTION_LIMIT - 1] + "…"
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": subject[:150], "emoji": False},
        },
        {"type": "section", "text": {"type": "mrkdwn", "text": body}},
    ]
    if url:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {
                            "type": "plain_text",
                            "text": gettext("Open in Onramp"),
                        },
                        "url": url,
                        "action_id": "open",
                    }
                ],
            }
        )
    return blocks


def _client(token: str) -> WebClient:
    return WebClient(token=token, base_url=settings.SLACK_API_URL, timeout=15)


class _Call:
    """Calls Slack, waiting out rate limits; counts the retries."""

    def __init__(self, client: WebClient) -> None:
        self.client = client
        self.retries = 0

    def __call__(self, method: str, **params: Any) -> SlackResponse:
        name = method.replace("_", ".")
        while True:
            try:
                response: SlackResponse = getattr(self.client, method)(**params)
                return response
            except SlackApiError as error:
                response = error.response
                if response.status_code != 429:
                    raise DeliveryFailed(
                        f"{name}: {response.get('error') or response.status_code}",
                        retries=self.retries,
                    ) from None
                wait = _retry_after(response.headers.get("Retry-After"))
                if (
                    self.retries >= settings.SLACK_MAX_RETRIES
                    or wait > settings.SLACK_MAX_RETRY_AFTER_SECONDS
                ):
                    raise DeliveryFailed(
                        f"{name}: ratelimited (Retry-After {wait} s)",
                        retries=self.retries,
                    ) from None
                self.retries += 1
                sleep(wait)
            except OSError as error:
                raise DeliveryFailed(
                    f"{name}: {type(error).__name__}", retries=self.retries
                ) from None


def slack_account(*, token: str) -> SlackAccount:
    """The workspace and bot a token belongs to (auth.test); DeliveryFailed if
    Slack refuses it."""
    answer = _Call(_client(token))("auth_test")
    return SlackAccount(
        workspace=str(answer.get("team") or ""), bot_user=str(answer.get("user") or "")
    )


@dataclass(frozen=True)
class DirectMessage:
    member_id: str
    dm_channel: str
    retries: int


def slack_direct_message(
    *,
    token: str,
    email: str,
    subject: str,
    text: str,
    url: str | None,
    known: tuple[str, str] | None = None,
) -> DirectMessage:
    """DM the Slack member with this e-mail. `known` is the (member, DM channel)
    found for them before: then only chat.postMessage is called."""
    call = _Call(_client(token))
    if known is None:
        member = call("users_lookupByEmail", email=email)["user"]["id"]
        channel = call("conversations_open", users=[member])["channel"]["id"]
    else:
        member, channel = known
    call(
        "chat_postMessage",
        channel=channel,
        text=f"{subject}\n{text}",
        blocks=message_blocks(subject=subject, text=text, url=url),
        unfurl_links=False,
    )
    return DirectMessage(member_id=member, dm_channel=channel, retries=call.retries)


def _retry_after(value: str | None) -> int:
    """Slack's Retry-After in whole seconds; anything unreadable counts as a long
    wait, so the delivery fails over to e-mail instead of hammering Slack."""
    try:
        return max(1, int(float(value or "1")))
    except ValueError:
        return settings.SLACK_MAX_RETRY_AFTER_SECONDS + 1
