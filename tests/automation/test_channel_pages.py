"""The Slack and Teams settings (enablement admins only) and each person's
notification preferences."""

from __future__ import annotations

import pytest

from automation.models import SlackWorkspace, TeamsWebhook
from lms.lib.crypto import unseal
from lms.notifications.models import NoticePause, NoticePreference
from tests.factories import make_admin, make_coach, make_manager

pytestmark = pytest.mark.django_db

URL = "/automation/channels/"


@pytest.fixture
def people(rep_factory, team_factory):
    team = team_factory(name="Americas East")
    return {
        "rep": rep_factory(team=team),
        "coach": make_coach(team),
        "manager": make_manager(team),
        "admin": make_admin(),
    }


@pytest.mark.parametrize(
    ("who", "status"),
    [("rep", 403), ("coach", 403), ("manager", 403), ("admin", 200)],
)
def test_only_enablement_admins_open_the_channel_settings(client, people, who, status):
    client.force_login(people[who])
    assert client.get(URL).status_code == status


@pytest.mark.parametrize(
    "path",
    [
        URL,
        URL + "slack/test/",
        URL + "slack/enable/",
        URL + "slack/remove/",
        URL + "teams/",
        URL + "teams/1/remove/",
    ],
)
def test_anonymous_people_are_sent_to_sign_in(client, path):
    response = client.post(path)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["rep", "manager"])
def test_others_cannot_change_the_channels(client, people, who, teams_fake):
    client.force_login(people[who])
    team = people["rep"].team
    assert client.post(URL, {"slack-token": "xoxb-evil"}).status_code == 403
    assert (
        client.post(
            URL + "teams/", {"teams-team": team.pk, "teams-url": teams_fake.webhook_url}
        ).status_code
        == 403
    )
    assert client.post(URL + "slack/remove/").status_code == 403
    assert not SlackWorkspace.objects.exists() and not TeamsWebhook.objects.exists()


def test_an_admin_saves_and_tests_the_slack_token(client, people, slack_fake):
    client.force_login(people["admin"])
    response = client.post(URL, {"slack-token": "xoxb-good-token"})
    assert response.status_code == 302
    workspace = SlackWorkspace.objects.get()
    assert unseal(workspace.sealed_token) == {"token": "xoxb-good-token"}
    assert b"xoxb-good-token" not in client.get(URL).content

    client.post(URL + "slack/test/")
    workspace.refresh_from_db()
    assert workspace.last_test_ok and workspace.workspace_name == "Northwind Analytics"
    assert b"Northwind Analytics" in client.get(URL).content


def test_a_refused_token_shows_in_the_test(client, people, slack_fake):
    client.force_login(people["admin"])
    client.post(URL, {"slack-token": "xoxb-revoked"})
    response = client.post(URL + "slack/test/", follow=True)
    workspace = SlackWorkspace.objects.get()
    assert not workspace.last_test_ok
    assert workspace.last_error == "auth.test: invalid_auth"
    assert b"invalid_auth" in response.content


def test_something_else_than_a_bot_token_is_refused(client, people):
    client.force_login(people["admin"])
    assert client.post(URL, {"slack-token": "hello"}).status_code == 400
    assert not SlackWorkspace.objects.exists()


def test_an_admin_adds_and_removes_a_teams_webhook(client, people, teams_fake):
    client.force_login(people["admin"])
    team = people["rep"].team
    response = client.post(
        URL + "teams/", {"teams-team": team.pk, "teams-url": teams_fake.webhook_url}
    )
    assert response.status_code == 302
    webhook = TeamsWebhook.objects.get(team=team)
    assert b"Americas East" in client.get(URL).content
    assert teams_fake.webhook_url.encode() not in client.get(URL).content
    client.post(URL + f"teams/{webhook.pk}/remove/")
    assert not TeamsWebhook.objects.exists()


def test_a_teams_address_elsewhere_is_refused(client, people, settings):
    settings.TEAMS_WEBHOOK_ALLOW_LOCAL = False
    client.force_login(people["admin"])
    response = client.post(
        URL + "teams/",
        {"teams-team": people["rep"].team.pk, "teams-url": "http://10.0.0.5/hook"},
    )
    assert response.status_code == 400
    assert not TeamsWebhook.objects.exists()


def test_a_person_chooses_channels_a_digest_and_a_pause(client, people, slack_fake):
    from automation.connections import slack_workspace_connect

    rep = people["rep"]
    client.force_login(rep)
    page = client.get("/notifications/preferences/")
    assert page.status_code == 200
    assert b'value="slack"' not in page.content
    slack_workspace_connect(token="xoxb-good-token", by=people["admin"])
    page = client.get("/notifications/preferences/")
    assert b'value="slack"' in page.content

    form = {name: field.initial for name, field in page.context["form"].fields.items()}
    form.update(
        {
            "channel:sequence": "slack",
            "timing:sequence": "digest",
            "channel:manager_digest": "off",
            "paused": "on",
        }
    )
    assert client.post("/notifications/preferences/", form).status_code == 302
    sequence = NoticePreference.objects.get(user=rep, kind="sequence")
    assert (sequence.channel, sequence.timing) == ("slack", "digest")
    assert (
        NoticePreference.objects.get(user=rep, kind="manager_digest").channel == "off"
    )
    assert NoticePause.objects.filter(user=rep).exists()

    form.pop("paused")
    client.post("/notifications/preferences/", form)
    assert not NoticePause.objects.filter(user=rep).exists()


def test_saving_only_a_pause_makes_no_choice_for_the_other_notices(client, people):
    client.force_login(people["rep"])
    page = client.get("/notifications/preferences/")
    form = {name: field.initial for name, field in page.context["form"].fields.items()}
    form["paused"] = "on"

    assert client.post("/notifications/preferences/", form).status_code == 302

    assert NoticePause.objects.filter(user=people["rep"]).exists()
    assert not NoticePreference.objects.exists()


def test_teams_is_offered_only_where_the_persons_team_has_a_webhook(
    client, people, team_factory
):
    from automation.connections import teams_webhook_set

    teams_webhook_set(
        team=team_factory(name="EMEA"),
        url="https://example.webhook.office.com/webhookb2/x",
    )
    client.force_login(people["rep"])  # in Americas East: no webhook there

    assert b'value="teams"' not in client.get("/notifications/preferences/").content


def test_the_daily_digest_can_be_turned_back_on(client, people):
    rep = people["rep"]
    client.force_login(rep)
    NoticePreference.objects.create(user=rep, kind="notice_digest", channel="off")

    page = client.get("/notifications/preferences/")

    assert "Daily digest of tips and nudges" in page.text
    form = {name: field.initial for name, field in page.context["form"].fields.items()}
    assert form["channel:notice_digest"] == "off"
    form["channel:notice_digest"] = "email"
    del form["paused"]
    assert client.post("/notifications/preferences/", form).status_code == 302
    assert (
        NoticePreference.objects.get(user=rep, kind="notice_digest").channel == "email"
    )


def test_fixed_notices_cannot_be_moved_to_chat(client, people, slack_fake):
    from automation.connections import slack_workspace_connect

    slack_workspace_connect(token="xoxb-good-token", by=people["admin"])
    client.force_login(people["rep"])
    page = client.get("/notifications/preferences/")
    form = {name: field.initial for name, field in page.context["form"].fields.items()}
    form["channel:overdue"] = "slack"
    del form["paused"]
    assert client.post("/notifications/preferences/", form).status_code == 400
    assert not NoticePreference.objects.exists()


def test_preferences_need_signing_in(client):
    response = client.get("/notifications/preferences/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
