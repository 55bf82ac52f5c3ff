"""The demo's Slack and Teams: off by default; with OFFLINE_CHAT, pointed at the
local fakes (`manage.py chat_fakes`), which show what they receive."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from automation import demo
from automation.chat_fakes import OFFLINE_DEMO_TOKEN
from automation.connections import (
    slack_token,
    slack_workspace_connect,
    teams_webhook_set,
)
from automation.management.commands.chat_fakes import slack_printout, teams_printout
from automation.models import SlackWorkspace, TeamsWebhook
from automation.sequences.models import Sequence
from automation.sequences.services import sequences_tick
from tests.factories import RepFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC)


def _quiet(line: str) -> None:
    return None


@pytest.fixture
def offline_chat(settings, slack_fake, teams_fake):  # type: ignore[no-untyped-def]
    """The fakes as `manage.py chat_fakes` runs them: the demo's token, every
    e-mail a Slack member, each message printed."""
    printed: list[str] = []
    settings.OFFLINE_CHAT = True
    settings.OFFLINE_CHAT_TEAMS_PORT = int(teams_fake.url.rsplit(":", 1)[1])
    slack_fake.state.tokens = {OFFLINE_DEMO_TOKEN}
    slack_fake.state.everyone = True
    slack_fake.state.listener = lambda message: printed.append(slack_printout(message))
    teams_fake.state.listener = lambda path, card: printed.append(
        teams_printout(path, card)
    )
    return printed


def test_it_configures_no_slack_and_no_teams_by_default(org, settings):
    settings.OFFLINE_CHAT = False
    demo.seed_sequences(_quiet)
    demo.seed_offline_chat(_quiet)

    assert not SlackWorkspace.objects.exists()
    assert not TeamsWebhook.objects.exists()
    assert not Sequence.objects.filter(name=demo.CHAT_WELCOME).exists()
    assert {step.channel for s in Sequence.objects.all() for step in s.steps.all()} == {
        "email"
    }


def test_offline_a_new_hire_gets_the_e_mail_a_slack_dm_and_a_teams_post(
    org, offline_chat, slack_fake, teams_fake, time_machine
):
    time_machine.move_to(NOW, tick=False)
    demo.seed_sequences(_quiet)
    demo.seed_offline_chat(_quiet)
    demo.seed_offline_chat(_quiet)

    assert slack_token() == OFFLINE_DEMO_TOKEN
    assert SlackWorkspace.objects.get().workspace_name == "Northwind Analytics"
    assert sorted(
        TeamsWebhook.objects.values_list("team__name", "host", "enabled")
    ) == [("Americas", "127.0.0.1", True), ("EMEA", "127.0.0.1", True)]

    RepFactory(
        team=org.east,
        full_name="Nia Brown",
        email="nia@northwind.example",
        start_date=NOW.date(),
        time_zone="UTC",
    )
    for _ in range(3):
        sequences_tick()

    assert [m.subject for m in mail.outbox] == ["Welcome to Northwind, Nia"]
    (slack,) = [text for text in offline_chat if "Slack DM" in text]
    assert "Slack DM to nia@northwind.example" in slack
    assert "Welcome to Northwind, Nia" in slack
    (teams,) = [text for text in offline_chat if "Teams channel" in text]
    assert "Teams channel /webhook/americas" in teams
    assert "Nia Brown: Starts onboarding today" in teams
    assert "Ed East as their manager" in teams
    assert [c for c, _ in slack_fake.state.calls].count("chat.postMessage") == 1
    assert len(teams_fake.state.posted) == 1


def test_running_the_demo_without_offline_chat_turns_the_fakes_off(
    org, offline_chat, settings
):
    demo.seed_sequences(_quiet)
    demo.seed_offline_chat(_quiet)

    settings.OFFLINE_CHAT = False
    demo.seed_offline_chat(_quiet)

    assert SlackWorkspace.objects.get().enabled is False
    assert not TeamsWebhook.objects.filter(enabled=True).exists()
    welcome = Sequence.objects.get(name=demo.CHAT_WELCOME)
    assert welcome.status == Sequence.Status.PAUSED

    settings.OFFLINE_CHAT = True
    demo.seed_offline_chat(_quiet)
    assert SlackWorkspace.objects.get().enabled is True
    assert TeamsWebhook.objects.filter(enabled=True).count() == 2
    assert Sequence.objects.get(name=demo.CHAT_WELCOME).status == "active"


def test_it_leaves_a_workspace_and_webhooks_an_admin_connected_alone(
    org, offline_chat, settings
):
    slack_workspace_connect(token="xoxb-their-own", by=org.admin)
    own = "https://northwind.webhook.office.com/webhookb2/abc"
    teams_webhook_set(team=org.emea, url=own)

    demo.seed_offline_chat(_quiet)
    assert slack_token() == "xoxb-their-own"
    assert TeamsWebhook.objects.get(team=org.emea).host == (
        "northwind.webhook.office.com"
    )
    assert TeamsWebhook.objects.get(team=org.americas).host == "127.0.0.1"

    settings.OFFLINE_CHAT = False
    demo.seed_offline_chat(_quiet)
    assert SlackWorkspace.objects.get().enabled is True
    assert TeamsWebhook.objects.get(team=org.emea).enabled is True
