"""Building nudge sequences in tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from automation.sequences.models import Sequence, SequenceStep


def make_sequence(steps: list[dict[str, Any]], **fields: Any) -> Sequence:
    """An active sequence counting from the epoch of the test, with its steps."""
    fields.setdefault("name", "Sequence")
    fields.setdefault("status", Sequence.Status.ACTIVE)
    fields.setdefault("counts_from", dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    teams = fields.pop("teams", [])
    sequence = Sequence.objects.create(**fields)
    sequence.teams.set(teams)
    for order, step in enumerate(steps):
        SequenceStep.objects.create(
            sequence=sequence,
            sort_order=order,
            **{
                "subject": "Hello {{ first_name }}",
                "message": "Hi {{ first_name }}",
                **step,
            },
        )
    return sequence
