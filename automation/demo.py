"""The demo's nudge sequences: "First week" (welcome on day 0, a tip with the
next lesson on day 2, a nudge on day 5 if under 30 %, their manager told),
"Stalled rep" (no activity for 7 days) and "Certificate renewal" (30 and 7 days
before expiry), all by e-mail. Slack and Teams stay off, unless the demo runs
offline with its chat fakes (OFFLINE_CHAT, `bin/run --offline-chat`): then the
Slack app and a Teams webhook per region point at `manage.py chat_fakes`, and
"Welcome on Slack and Teams" greets new reps there."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from automation.chat_fakes import OFFLINE_DEMO_TOKEN
from automation.connections import (
    slack_workspace,
    slack_workspace_connect,
    slack_workspace_set_enabled,
    slack_workspace_test,
    teams_webhook_set,
)
from automation.models import TeamsWebhook
from automation.sequences.models import (
    Channel,
    DelayUnit,
    ExitCondition,
    Role,
    Sequence,
    SequenceStep,
    Trigger,
)
from automation.sequences.services import sequence_pause, sequence_resume
from courses.models import LearningPath
from lms.accounts.models import Team, User
from lms.accounts.roles import ENABLEMENT_ADMINS_GROUP
from lms.demo import Log
from lms.lib.crypto import CredentialsUnreadable, unseal

PATH_TITLE = "First 30 days"

FIRST_WEEK = "First week"
STALLED_REP = "Stalled rep"
CERTIFICATE_RENEWAL = "Certificate renewal"
CHAT_WELCOME = "Welcome on Slack and Teams"


def seed_sequences(log: Log) -> None:
    path = LearningPath.objects.filter(title=PATH_TITLE).first()
    _sequence(
        FIRST_WEEK,
        {
            "trigger": Trigger.START_DATE,
            "path": path,
            "role": Role.REP,
            "exit_condition": ExitCondition.TRAINING_COMPLETE,
        },
        [
            {
                "delay": 0,
                "subject": "Welcome to Northwind, {{ first_name }}",
                "message": "Hi {{ first_name }},\n\nWelcome aboard! Your onboarding, "
                "{{ course.title }}, is waiting for you. Start here: "
                "{{ next_step.title }}\n{{ next_step.url }}\n\n"
                "Your manager, {{ manager.name }}, is looking forward to working "
                "with you.",
            },
            {
                "delay": 2,
                "subject": "Tip for today: {{ next_step.title }}",
                "message": "Hi {{ first_name }},\n\nReps who do a lesson a day "
                "finish onboarding in half the time. Your next one is "
                "{{ next_step.title }}:\n{{ next_step.url }}",
            },
            {
                "delay": 5,
                "only_if_progress_below": 30,
                "to_manager": True,
                "subject": "{{ full_name }}: onboarding at {{ progress }}",
                "message": "Hi,\n\n{{ full_name }} is at {{ progress }} of "
                "{{ course.title }} (due {{ due_date }}). Next up: "
                "{{ next_step.title }}\n{{ next_step.url }}",
            },
        ],
        log,
    )
    _sequence(
        STALLED_REP,
        {
            "trigger": Trigger.NO_ACTIVITY,
            "trigger_days": 7,
            "role": Role.REP,
            "exit_condition": ExitCondition.ACTIVE_AGAIN,
        },
        [
            {
                "delay": 0,
                "subject": "We miss you, {{ first_name }}",
                "message": "Hi {{ first_name }},\n\nIt has been {{ days_inactive }} "
                "days since your last lesson. Pick up where you left off: "
                "{{ next_step.title }}\n{{ next_step.url }}",
            },
            {
                "delay": 3,
                "to_person": False,
                "to_manager": True,
                "subject": "{{ full_name }} has been inactive for a while",
                "message": "Hi,\n\n{{ full_name }} has done no training for "
                "{{ days_inactive }} days. A quick word may help.",
            },
        ],
        log,
    )
    _sequence(
        CERTIFICATE_RENEWAL,
        {
            "trigger": Trigger.CERTIFICATE_EXPIRING,
            "trigger_days": 30,
            "exit_condition": ExitCondition.CERTIFICATE_RENEWED,
        },
        [
            {
                "delay": 0,
                "delay_unit": DelayUnit.DAYS,
                "subject": "{{ certificate.title }} expires on "
                "{{ certificate.expires_on }}",
                "message": "Hi {{ first_name }},\n\nYour certificate "
                "{{ certificate.title }} expires on {{ certificate.expires_on }}. "
                "Renew it in time: your renewal training is open.",
            },
            {
                "delay": 23,
                "delay_unit": DelayUnit.DAYS,
                "to_manager": True,
                "subject": "A week left: {{ certificate.title }}",
                "message": "Hi {{ first_name }},\n\n{{ certificate.title }} expires "
                "in a week, on {{ certificate.expires_on }}.",
            },
        ],
        log,
    )


def _sequence(
    name: str, fields: dict[str, Any], steps: list[dict[str, Any]], log: Log
) -> None:
    """Create the sequence, on, counting from now (start dates: from a day
    ago); running again leaves it (and any edits an admin made) as it is."""
    if Sequence.objects.filter(name=name).exists():
        return
    counts_from = timezone.now()
    if fields["trigger"] == Trigger.START_DATE:
        # A start date counts from midnight in the person's time zone, up to a day
        # ago: so that someone an admin adds today, starting today, is welcomed.
        counts_from -= dt.timedelta(days=1)
    sequence = Sequence.objects.create(
        name=name,
        status=Sequence.Status.ACTIVE,
        counts_from=counts_from,
        quiet_from=dt.time(20, 0),
        quiet_until=dt.time(8, 0),
        **fields,
    )
    for order, step in enumerate(steps):
        SequenceStep.objects.create(
            sequence=sequence,
            sort_order=order,
            **{"delay_unit": DelayUnit.BUSINESS_DAYS, "channel": Channel.EMAIL, **step},
        )
    channels = dict.fromkeys(
        str(Channel(step.get("channel", Channel.EMAIL)).label) for step in steps
    )
    log(f"Sequence “{name}” with {len(steps)} steps, on ({', '.join(channels)}).")


def seed_offline_chat(log: Log) -> None:
    """With OFFLINE_CHAT, connect the demo's Slack app and a Teams webhook per region
    to the local fakes (`manage.py chat_fakes`) and turn "Welcome on Slack and
    Teams" on. Without it, turn off what an offline run connected, so that nothing
    is posted to an address no fake listens on. A Slack workspace or webhook an
    admin connected themselves is left as it is."""
    workspace = slack_workspace()
    ours = workspace is None or _is_offline_demo_token(workspace.sealed_token)
    chat_welcome = Sequence.objects.filter(name=CHAT_WELCOME).first()
    if not settings.OFFLINE_CHAT:
        if workspace is not None and ours and workspace.enabled:
            slack_workspace_set_enabled(workspace=workspace, enabled=False)
            log("Slack (offline fake) turned off.")
        turned_off = TeamsWebhook.objects.filter(host="127.0.0.1", enabled=True).update(
            enabled=False
        )
        if turned_off:
            log(f"{turned_off} Teams webhooks (offline fake) turned off.")
        if chat_welcome is not None and chat_welcome.status == Sequence.Status.ACTIVE:
            sequence_pause(sequence=chat_welcome)
            log(f"Sequence “{CHAT_WELCOME}” paused.")
        return
    admin = (
        User.objects.filter(groups__name=ENABLEMENT_ADMINS_GROUP).order_by("pk").first()
    )
    if not ours:
        log("Slack: connected to a workspace of your own, left as it is.")
    elif admin is not None:
        workspace = slack_workspace_connect(token=OFFLINE_DEMO_TOKEN, by=admin)
        result = slack_workspace_test(workspace=workspace)
        log(f"Slack: the offline fake at {settings.SLACK_API_URL}: {result.message}")
    for region in Team.get_root_nodes():
        current = TeamsWebhook.objects.filter(team=region).first()
        if current is not None and current.host != "127.0.0.1":
            continue
        teams_webhook_set(
            team=region,
            url=f"http://127.0.0.1:{settings.OFFLINE_CHAT_TEAMS_PORT}"
            f"/webhook/{slugify(region.name)}",
        )
        log(f"Teams: {region.name}'s channel is the offline fake.")
    if chat_welcome is None:
        _seed_chat_welcome(log)
    elif chat_welcome.status == Sequence.Status.PAUSED:
        sequence_resume(sequence=chat_welcome)
        log(f"Sequence “{CHAT_WELCOME}” on again.")


def _is_offline_demo_token(sealed_token: str) -> bool:
    try:
        return bool(unseal(sealed_token)["token"] == OFFLINE_DEMO_TOKEN)
    except CredentialsUnreadable:
        return False


def _seed_chat_welcome(log: Log) -> None:
    _sequence(
        CHAT_WELCOME,
        {
            "trigger": Trigger.START_DATE,
            "path": LearningPath.objects.filter(title=PATH_TITLE).first(),
            "role": Role.REP,
            "exit_condition": ExitCondition.TRAINING_COMPLETE,
        },
        [
            {
                "delay": 0,
                "channel": Channel.SLACK,
                "subject": "Welcome to Northwind, {{ first_name }}",
                "message": "Your onboarding starts with {{ next_step.title }}. "
                "{{ manager.name }}, your manager, will check in with you this week.",
            },
            {
                "delay": 0,
                "channel": Channel.TEAMS,
                "subject": "Starts onboarding today",
                "message": "Say hello to {{ first_name }}: their onboarding, "
                "{{ course.title }}, starts today, with {{ manager.name }} as "
                "their manager.",
            },
        ],
        log,
    )
