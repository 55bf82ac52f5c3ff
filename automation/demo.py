"""The demo's nudge sequences: "First week" (welcome on day 0, a tip with the
next lesson on day 2, a nudge on day 5 if under 30 %, their manager told),
"Stalled rep" (no activity for 7 days) and "Certificate renewal" (30 and 7 days
before expiry). All by e-mail: Slack and Teams stay off in the demo."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from automation.sequences.models import (
    Channel,
    DelayUnit,
    ExitCondition,
    Role,
    Sequence,
    SequenceStep,
    Trigger,
)
from courses.models import LearningPath
from lms.demo import Log

PATH_TITLE = "First 30 days"

FIRST_WEEK = "First week"
STALLED_REP = "Stalled rep"
CERTIFICATE_RENEWAL = "Certificate renewal"


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
    """Create the sequence, on, counting from now; running again leaves it (and
    any edits an admin made) as it is."""
    if Sequence.objects.filter(name=name).exists():
        return
    sequence = Sequence.objects.create(
        name=name,
        status=Sequence.Status.ACTIVE,
        counts_from=timezone.now(),
        quiet_from=dt.time(20, 0),
        quiet_until=dt.time(8, 0),
        **fields,
    )
    for order, step in enumerate(steps):
        SequenceStep.objects.create(
            sequence=sequence,
            sort_order=order,
            channel=Channel.EMAIL,
            **{"delay_unit": DelayUnit.BUSINESS_DAYS, **step},
        )
    log(f"Sequence “{name}” with {len(steps)} steps, on (e-mail).")
