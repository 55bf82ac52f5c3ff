"""Serve the local Slack Web API and Teams webhook for the offline demo, and print
every message they receive, as the console e-mail backend prints e-mails."""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from automation.chat_fakes import (
    OFFLINE_DEMO_TOKEN,
    SlackFake,
    SlackState,
    TeamsFake,
    TeamsState,
)

RULE = "-" * 79


def slack_printout(message: dict[str, Any]) -> str:
    """A Slack DM as the console shows it: to whom, the blocks' text and buttons."""
    lines = [f"Slack DM to {message.get('email') or '?'} ({message['channel']})"]
    for block in message.get("blocks") or []:
        if block.get("type") in ("header", "section"):
            lines.append(str(block["text"]["text"]))
        for element in block.get("elements", []):
            if element.get("type") == "button":
                lines.append(f"[{element['text']['text']}] {element.get('url', '')}")
    return "\n".join([RULE, *lines, RULE])


def teams_printout(path: str, card: dict[str, Any]) -> str:
    """A Teams card as the console shows it: the webhook, the text, the buttons."""
    lines = [f"Teams channel {path}"]
    lines += [str(item["text"]) for item in card["body"] if item.get("text")]
    lines += [
        f"[{action.get('title', '')}] {action.get('url', '')}"
        for action in card.get("actions", [])
    ]
    return "\n".join([RULE, *lines, RULE])


class Command(BaseCommand):
    help = (
        "Run the local Slack and Teams fakes of the offline demo (bin/run "
        "--offline-chat) and print the messages they receive."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--slack-port", type=int, default=settings.OFFLINE_CHAT_SLACK_PORT
        )
        parser.add_argument(
            "--teams-port", type=int, default=settings.OFFLINE_CHAT_TEAMS_PORT
        )

    def handle(self, *args: Any, **options: Any) -> None:
        printing = threading.Lock()

        def show(text: str) -> None:
            with printing:
                self.stdout.write(text)
                self.stdout.flush()

        slack_state = SlackState(
            tokens={OFFLINE_DEMO_TOKEN},
            everyone=True,
            listener=lambda message: show(slack_printout(message)),
        )
        teams_state = TeamsState(
            listener=lambda path, card: show(teams_printout(path, card))
        )
        try:
            slack = SlackFake(slack_state, port=options["slack_port"])
            teams = TeamsFake(teams_state, port=options["teams_port"])
        except OSError as error:
            raise CommandError(
                f"The chat fakes cannot listen ({error.strerror}): set "
                "OFFLINE_CHAT_SLACK_PORT and OFFLINE_CHAT_TEAMS_PORT to free ports."
            ) from None
        show(
            f"Slack (fake) at {slack.api_url}, Teams webhooks (fake) at "
            f"{teams.url}/webhook/…: messages they receive are printed here."
        )
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
        finally:
            slack.stop()
            teams.stop()
