"""The Slack app and the Teams webhooks, as enablement admins configure them.

Secrets (the bot token, the webhook addresses) are sealed with
INTEGRATIONS_ENCRYPTION_KEY (lms.lib.crypto) and never shown again: the pages show
the workspace name and the webhook's host.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import transaction
from django.utils.translation import gettext

from automation.channels import DeliveryFailed
from automation.channels.slack import slack_account
from automation.channels.teams import webhook_address_problem
from automation.models import SlackWorkspace, TeamsWebhook
from lms.accounts.models import Team, User
from lms.lib import clock
from lms.lib.crypto import CredentialsUnreadable, seal, unseal


class WebhookRefused(ValueError):
    """The address is not one Onramp posts to (see automation.channels.teams)."""


def may_configure_channels(user: User) -> bool:
    return user.is_active and user.is_enablement_admin


def slack_workspace() -> SlackWorkspace | None:
    return SlackWorkspace.objects.first()


def slack_token() -> str | None:
    """The bot token of the connected, enabled Slack app, or None."""
    workspace = SlackWorkspace.objects.filter(enabled=True).first()
    if workspace is None:
        return None
    try:
        return str(unseal(workspace.sealed_token)["token"])
    except CredentialsUnreadable:
        return None


@transaction.atomic
def slack_workspace_connect(*, token: str, by: User) -> SlackWorkspace:
    """Store (or replace) the bot token; the workspace is enabled at once."""
    workspace = SlackWorkspace.objects.select_for_update().first() or SlackWorkspace()
    workspace.sealed_token = seal({"token": token})
    workspace.enabled = True
    workspace.workspace_name = ""
    workspace.last_tested_at = None
    workspace.last_test_ok = False
    workspace.last_error = ""
    workspace.updated_at = clock.now()
    workspace.updated_by = by
    workspace.save()
    return workspace


@dataclass(frozen=True)
class ConnectionTest:
    ok: bool
    message: str


def slack_workspace_test(*, workspace: SlackWorkspace) -> ConnectionTest:
    """Ask Slack who the token belongs to (auth.test) and record the answer."""
    try:
        token = str(unseal(workspace.sealed_token)["token"])
        account = slack_account(token=token)
    except CredentialsUnreadable as error:
        result = ConnectionTest(False, str(error))
    except DeliveryFailed as error:
        result = ConnectionTest(False, error.error)
    else:
        workspace.workspace_name = account.workspace
        result = ConnectionTest(
            True,
            gettext("Connected to %(workspace)s.") % {"workspace": account.workspace},
        )
    workspace.last_tested_at = clock.now()
    workspace.last_test_ok = result.ok
    workspace.last_error = "" if result.ok else result.message[:200]
    workspace.save()
    return result


def slack_workspace_set_enabled(*, workspace: SlackWorkspace, enabled: bool) -> None:
    workspace.enabled = enabled
    workspace.save(update_fields=["enabled"])


def slack_workspace_remove() -> None:
    SlackWorkspace.objects.all().delete()


@transaction.atomic
def teams_webhook_set(*, team: Team, url: str) -> TeamsWebhook:
    """Post this team's notices to the Teams channel behind `url`."""
    problem = webhook_address_problem(url)
    if problem:
        raise WebhookRefused(problem)
    webhook, _ = TeamsWebhook.objects.update_or_create(
        team=team,
        defaults={
            "sealed_url": seal({"url": url}),
            "host": urlsplit(url).hostname or "",
            "enabled": True,
            "last_error": "",
        },
    )
    return webhook


def teams_webhook_remove(*, webhook: TeamsWebhook) -> None:
    webhook.delete()


def teams_webhook_for(user: User) -> TeamsWebhook | None:
    """The webhook of the person's team, or of the nearest team above it."""
    team = user.team
    if team is None:
        return None
    return (
        TeamsWebhook.objects.filter(
            team__path__in=Team.paths_up_from(team.path), enabled=True
        )
        .order_by("-team__depth")
        .first()
    )


def teams_webhook_url(webhook: TeamsWebhook) -> str | None:
    try:
        return str(unseal(webhook.sealed_url)["url"])
    except CredentialsUnreadable:
        return None


def channels_available(user: User) -> dict[str, bool]:
    """Which chat channels reach this person (for the preferences page: a person
    can only pick what exists): Slack once connected, Teams when their team or one
    above it has a webhook."""
    return {
        "slack": SlackWorkspace.objects.filter(enabled=True).exists(),
        "teams": teams_webhook_for(user) is not None,
    }
