"""The chat fakes run for as long as the offline demo does: they keep only the
latest calls and messages they received, not every one."""

from __future__ import annotations

import json
from urllib.request import Request, urlopen

from automation.chat_fakes import KEPT, SlackFake, SlackState, TeamsFake, TeamsState


def _post(url: str, body: dict, token: str | None = None) -> None:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = Request(url, data=json.dumps(body).encode(), headers=headers)
    with urlopen(request, timeout=10) as answer:  # noqa: S310 (the local fake)
        answer.read()


def test_the_slack_fake_keeps_only_the_latest_calls_and_messages():
    fake = SlackFake(SlackState(kept=3))
    try:
        for number in range(5):
            _post(
                fake.api_url + "chat.postMessage",
                {"channel": "D0MAYA001", "text": f"message {number}"},
                token="xoxb-good-token",
            )
    finally:
        fake.stop()

    assert [m["text"] for m in fake.state.posted] == [
        "message 2",
        "message 3",
        "message 4",
    ]
    assert [a["text"] for _, a in fake.state.calls] == [
        "message 2",
        "message 3",
        "message 4",
    ]


def test_the_teams_fake_keeps_only_the_latest_cards():
    fake = TeamsFake(TeamsState(kept=2))
    try:
        for number in range(4):
            card = {"type": "AdaptiveCard", "body": [{"text": f"card {number}"}]}
            _post(
                fake.webhook_url,
                {
                    "type": "message",
                    "attachments": [
                        {
                            "contentType": "application/vnd.microsoft.card.adaptive",
                            "content": card,
                        }
                    ],
                },
            )
    finally:
        fake.stop()

    assert [c["body"][0]["text"] for c in fake.state.posted] == ["card 2", "card 3"]


def test_the_fakes_keep_a_thousand_by_default():
    assert KEPT == 1000
    assert SlackState().posted.maxlen == KEPT
    assert SlackState().calls.maxlen == KEPT
    assert TeamsState().posted.maxlen == KEPT
