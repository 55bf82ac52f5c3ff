"""automation.delivery.send: once per (person, kind, key), on the channel the
person chose, with a Delivery row per channel tried and e-mail as the fallback.
Slack and Teams are the local fakes (tests/automation/chat_fakes.py) reached by the
real clients."""

from __future__ import annotations

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.db import DatabaseError

from automation import connections
from automation.delivery import Outgoing, send, send_many
from automation.models import Delivery
from lms.notifications.models import NotificationLog
from lms.notifications.preferences import notice_preference_set, notices_pause_set

pytestmark = pytest.mark.django_db


def _send(rep, channel="email", key="step:1", **kwargs):
    return send(
        recipient=rep,
        channel=channel,
        kind=kwargs.pop("kind", "sequence:7"),
        key=key,
        subject="Your day-two tip",
        text="Try the discovery call lesson <today> & tomorrow.",
        html="<p>Try the discovery call lesson today.</p>",
        url="https://onramp.example/learning/discovery/",
        **kwargs,
    )


@pytest.fixture
def slack(slack_fake, admin_user):
    connections.slack_workspace_connect(token="xoxb-good-token", by=admin_user)
    return slack_fake


@pytest.fixture
def admin_user(rep_factory):
    from tests.factories import make_admin

    return make_admin()


def test_it_emails_once_with_one_click_unsubscribe(rep_factory):
    rep = rep_factory()
    assert _send(rep) is True
    assert _send(rep) is False
    (message,) = mail.outbox
    assert message.to == [rep.email]
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    (delivery,) = Delivery.objects.all()
    assert (delivery.channel, delivery.status, delivery.attempts) == (
        "email",
        "sent",
        1,
    )


def test_required_messages_carry_no_unsubscribe_and_ignore_preferences(rep_factory):
    rep = rep_factory()
    notices_pause_set(user=rep, paused=True)
    assert _send(rep, kind="account", required=True) is True
    assert "List-Unsubscribe" not in mail.outbox[0].extra_headers


def test_it_sends_nothing_while_paused_and_logs_it_skipped(rep_factory):
    rep = rep_factory()
    notices_pause_set(user=rep, paused=True)
    assert _send(rep) is False
    assert mail.outbox == []
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.error) == ("skipped", "All notices paused.")


def test_a_kind_turned_off_by_its_family_is_skipped(rep_factory):
    rep = rep_factory()
    notice_preference_set(user=rep, kind="sequence", channel="off")
    assert _send(rep) is False
    assert mail.outbox == []


def test_it_dms_on_slack_with_a_block_kit_button(rep_factory, slack):
    rep = rep_factory(email="maya@northwind.example")
    slack.state.member("maya@northwind.example", "U0MAYA001")
    assert _send(rep, channel="slack") is True
    assert slack.methods() == [
        "users.lookupByEmail",
        "conversations.open",
        "chat.postMessage",
    ]
    (posted,) = slack.state.posted
    assert posted["channel"] == "D0MAYA001"
    section, actions = posted["blocks"][1], posted["blocks"][2]
    assert section["text"]["text"] == (
        "Try the discovery call lesson &lt;today&gt; &amp; tomorrow."
    )
    (button,) = actions["elements"]
    assert button["type"] == "button"
    assert button["url"] == "https://onramp.example/learning/discovery/"
    assert mail.outbox == []
    delivery = Delivery.objects.get()
    assert (delivery.channel, delivery.status) == ("slack", "sent")


def test_the_persons_choice_of_slack_wins_over_the_senders(rep_factory, slack):
    rep = rep_factory(email="luis@northwind.example")
    slack.state.member(rep.email, "U0LUIS001")
    notice_preference_set(user=rep, kind="sequence", channel="slack")
    assert _send(rep, channel="email") is True
    assert len(slack.state.posted) == 1 and mail.outbox == []


def test_it_waits_out_slack_rate_limits_and_counts_the_retries(
    rep_factory, slack, no_waiting
):
    rep = rep_factory()
    slack.state.member(rep.email, "U0REP0001")
    slack.state.ratelimited["chat.postMessage"] = [2, 1]
    assert _send(rep, channel="slack") is True
    assert no_waiting == [2, 1]
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.retries) == ("sent", 2)


def test_an_unreadable_retry_after_fails_over_to_email(rep_factory, slack, no_waiting):
    rep = rep_factory()
    slack.state.member(rep.email, "U0REP0001")
    slack.state.ratelimited["users.lookupByEmail"] = ["soon"]

    assert _send(rep, channel="slack") is True

    assert no_waiting == []
    failed = Delivery.objects.get(channel="slack")
    assert failed.status == "failed" and "ratelimited" in failed.error
    assert failed.fallback.status == "sent"


def test_a_retry_after_too_long_fails_over_to_email(
    rep_factory, slack, settings, no_waiting
):
    settings.SLACK_MAX_RETRY_AFTER_SECONDS = 30
    rep = rep_factory()
    slack.state.member(rep.email, "U0REP0001")
    slack.state.ratelimited["users.lookupByEmail"] = [120]
    assert _send(rep, channel="slack") is True
    assert no_waiting == []
    failed = Delivery.objects.get(channel="slack")
    assert failed.status == "failed"
    assert "ratelimited" in failed.error
    assert failed.fallback.channel == "email" and failed.fallback.status == "sent"
    assert len(mail.outbox) == 1


def test_a_person_unknown_to_slack_gets_the_email_once(rep_factory, slack):
    rep = rep_factory()
    assert _send(rep, channel="slack") is True
    assert _send(rep, channel="slack") is False
    failed = Delivery.objects.get(channel="slack")
    assert failed.error == "users.lookupByEmail: users_not_found"
    assert len(mail.outbox) == 1
    assert slack.methods() == ["users.lookupByEmail"]


def test_a_revoked_token_fails_over_to_email(rep_factory, slack):
    slack.state.tokens.clear()
    rep = rep_factory()
    assert _send(rep, channel="slack") is True
    assert Delivery.objects.get(channel="slack").error.endswith("invalid_auth")
    assert len(mail.outbox) == 1


def test_slack_not_connected_means_email(rep_factory, slack_fake):
    rep = rep_factory()
    assert _send(rep, channel="slack") is True
    assert Delivery.objects.get(channel="slack").error == "Slack is not connected."
    assert len(mail.outbox) == 1 and not slack_fake.state.calls


def test_it_posts_an_adaptive_card_to_the_nearest_teams_webhook(
    rep_factory, team_factory, teams_fake
):
    region = team_factory(name="Americas")
    team = region.add_child(name="Americas East")
    connections.teams_webhook_set(team=region, url=teams_fake.webhook_url)
    rep = rep_factory(team=team, full_name="Maya Chen")
    assert _send(rep, channel="teams") is True
    (card,) = teams_fake.state.posted
    assert card["type"] == "AdaptiveCard"
    assert card["body"][0]["text"] == "Maya Chen: Your day-two tip"
    assert card["actions"][0] == {
        "type": "Action.OpenUrl",
        "title": "Open in Onramp",
        "url": "https://onramp.example/learning/discovery/",
    }
    assert Delivery.objects.get().status == "sent"


def test_an_incoming_webhook_answering_1_counts_as_sent(
    rep_factory, team_factory, teams_fake
):
    teams_fake.state.flavour = "incoming"
    team = team_factory()
    connections.teams_webhook_set(team=team, url=teams_fake.webhook_url)
    assert _send(rep_factory(team=team), channel="teams") is True
    assert Delivery.objects.get().status == "sent"


def test_a_failing_teams_webhook_falls_back_to_email(
    rep_factory, team_factory, teams_fake, no_waiting
):
    team = team_factory()
    connections.teams_webhook_set(team=team, url=teams_fake.webhook_url)
    teams_fake.state.fail_next = [429, 500]
    assert _send(rep_factory(team=team), channel="teams") is True
    failed = Delivery.objects.get(channel="teams")
    assert (failed.status, failed.retries) == ("failed", 1)
    assert failed.error.startswith("Teams webhook answered 500")
    assert no_waiting == [1]
    assert len(mail.outbox) == 1


def test_a_webhook_on_another_host_is_refused(team_factory, settings):
    settings.TEAMS_WEBHOOK_ALLOW_LOCAL = False
    with pytest.raises(connections.WebhookRefused):
        connections.teams_webhook_set(
            team=team_factory(), url="https://169.254.169.254/latest/meta-data/"
        )
    with pytest.raises(connections.WebhookRefused):
        connections.teams_webhook_set(
            team=team_factory(), url="http://example.webhook.office.com/x"
        )
    webhook = connections.teams_webhook_set(
        team=team_factory(),
        url="https://northwind.webhook.office.com/webhookb2/abc/IncomingWebhook/d/e",
    )
    assert webhook.host == "northwind.webhook.office.com"
    assert "webhookb2" not in webhook.sealed_url


def test_a_failed_email_withdraws_the_claim_and_counts_the_attempt(
    rep_factory, monkeypatch
):
    rep = rep_factory()

    def refuse(*args, **kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr("automation.delivery.notice_email_send", refuse)
    with pytest.raises(ConnectionError):
        _send(rep)
    assert not NotificationLog.objects.exists()
    assert Delivery.objects.get().status == "failed"
    monkeypatch.undo()
    assert _send(rep) is True
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("sent", 2)


def test_the_teams_error_shows_on_the_webhook_until_a_post_succeeds(
    rep_factory, team_factory, teams_fake
):
    team = team_factory()
    webhook = connections.teams_webhook_set(team=team, url=teams_fake.webhook_url)
    teams_fake.state.fail_next = [410]
    _send(rep_factory(team=team), channel="teams")
    webhook.refresh_from_db()
    assert webhook.last_error.startswith("Teams webhook answered 410")
    _send(rep_factory(team=team), channel="teams")
    webhook.refresh_from_db()
    assert webhook.last_error == ""


def test_a_known_person_costs_one_slack_call(rep_factory, slack):
    rep = rep_factory()
    slack.state.member(rep.email, "U0REP0001")
    _send(rep, channel="slack", key="step:1")
    _send(rep, channel="slack", key="step:2")
    assert slack.methods() == [
        "users.lookupByEmail",
        "conversations.open",
        "chat.postMessage",
        "chat.postMessage",
    ]


def test_a_refused_dm_is_looked_up_afresh_next_time(rep_factory, slack):
    rep = rep_factory()
    slack.state.member(rep.email, "U0REP0001")
    _send(rep, channel="slack", key="step:1")
    slack.state.tokens.clear()
    _send(rep, channel="slack", key="step:2")
    slack.state.tokens.add("xoxb-good-token")
    _send(rep, channel="slack", key="step:3")
    assert slack.methods()[-3:] == [
        "users.lookupByEmail",
        "conversations.open",
        "chat.postMessage",
    ]
    assert len(slack.state.posted) == 2 and len(mail.outbox) == 1


def test_a_changed_email_is_looked_up_again(rep_factory, slack):
    rep = rep_factory(email="maya@northwind.example")
    slack.state.member("maya@northwind.example", "U0MAYA001")
    _send(rep, channel="slack", key="step:1")
    rep.email = "maya.chen@northwind.example"
    rep.save()
    slack.state.member(rep.email, "U0MAYA002")
    _send(rep, channel="slack", key="step:2")
    assert slack.state.posted[-1]["channel"] == "D0MAYA002"


def test_an_email_costs_a_fixed_number_of_queries(
    rep_factory, django_assert_max_num_queries
):
    rep = rep_factory()
    _send(rep, key="step:0")
    # The claim, the preferences, the Delivery row and its outcome (savepoints
    # included), however many messages went before; a repeat stops at the claim.
    with django_assert_max_num_queries(13):
        assert _send(rep, key="step:1") is True
    with django_assert_max_num_queries(3):
        assert _send(rep, key="step:1") is False


class _DroppingBackend(locmem.EmailBackend):
    """A mail server that drops the session at the second e-mail: like Django's
    SMTP backend, a dropped connection fails every e-mail until it is opened again."""

    sessions = 0

    def open(self) -> bool:
        if getattr(self, "session", None) is None:
            type(self).sessions += 1
            self.session = type(self).sessions
            self.sent_here = 0
            return True
        return False

    def close(self) -> None:
        self.session = None

    def send_messages(self, messages):
        self.open()
        if self.session == 1 and self.sent_here == 1:
            self.dropped = True
        if getattr(self, "dropped", False) and self.session == 1:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        self.sent_here += len(messages)
        return super().send_messages(messages)


def _outgoing(rep, key: str) -> Outgoing:
    return Outgoing(
        recipient=rep,
        channel="email",
        kind="sequence:7",
        key=key,
        subject="Your day-two tip",
        text="Try the discovery call lesson.",
        html="<p>Try the discovery call lesson.</p>",
    )


def test_a_dropped_mail_session_fails_one_email_not_the_rest_of_the_batch(
    rep_factory, settings
):
    settings.EMAIL_BACKEND = "tests.automation.test_delivery._DroppingBackend"
    _DroppingBackend.sessions = 0
    reps = [rep_factory() for _ in range(4)]

    outcomes = send_many([_outgoing(rep, f"step:{i}") for i, rep in enumerate(reps)])

    assert [outcome.sent for outcome in outcomes] == [True, False, True, True]
    assert len(mail.outbox) == 3
    assert NotificationLog.objects.count() == 3  # the failed one's claim is back


def test_claims_go_back_when_the_batch_fails_before_sending(rep_factory, monkeypatch):
    reps = [rep_factory() for _ in range(3)]

    def fail(*args, **kwargs):
        raise DatabaseError("connection lost")

    monkeypatch.setattr("automation.delivery._records", fail)
    with pytest.raises(DatabaseError):
        send_many([_outgoing(rep, f"step:{i}") for i, rep in enumerate(reps)])
    assert not NotificationLog.objects.exists()  # the next run sends them
    monkeypatch.undo()

    outcomes = send_many([_outgoing(rep, f"step:{i}") for i, rep in enumerate(reps)])
    assert [outcome.sent for outcome in outcomes] == [True, True, True]
