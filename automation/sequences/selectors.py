"""Sequence analytics for the admin: how many were enrolled, where they are, who
left by reaching the goal, what was sent, failed or skipped per step and channel,
and the clicks on tracked links. Five queries per sequence."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import pgettext, pgettext_lazy

from automation.sequences.models import (
    Enrolment,
    LinkClick,
    Sequence,
    SequenceStep,
    StepSend,
)


@dataclass
class StepLine:
    number: int
    step: SequenceStep
    waiting: int = 0
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    clicks: int = 0


@dataclass
class SequenceReport:
    sequence: Sequence
    enrolled: int = 0
    running: int = 0
    exited_goal: int = 0
    finished: int = 0
    steps: list[StepLine] = field(default_factory=list)
    by_channel: dict[tuple[str, str], int] = field(default_factory=dict)

    # In the reader's language, like the page (English: lower-case names).
    CSV_HEADER = (
        pgettext_lazy("CSV column", "step"),
        pgettext_lazy("CSV column", "subject"),
        pgettext_lazy("CSV column", "channel"),
        pgettext_lazy("CSV column", "waiting"),
        pgettext_lazy("CSV column", "sent"),
        pgettext_lazy("CSV column", "failed"),
        pgettext_lazy("CSV column", "skipped"),
        pgettext_lazy("CSV column", "clicks"),
    )

    def csv_rows(self) -> list[tuple[object, ...]]:
        rows: list[tuple[object, ...]] = [
            (
                line.number,
                line.step.subject,
                line.step.channel,
                line.waiting,
                line.sent,
                line.failed,
                line.skipped,
                line.clicks,
            )
            for line in self.steps
        ]
        totals = (
            (pgettext("CSV row", "enrolled"), self.enrolled),
            (pgettext("CSV row", "running"), self.running),
            (pgettext("CSV row", "exited by goal"), self.exited_goal),
            (pgettext("CSV row", "sent every step"), self.finished),
        )
        blank = ("",) * (len(self.CSV_HEADER) - 2)
        rows.extend((label, count, *blank) for label, count in totals)
        return rows


def sequence_report(*, sequence: Sequence) -> SequenceReport:
    report = SequenceReport(sequence=sequence)
    steps = sorted(sequence.steps.all(), key=lambda step: step.sort_order or 0)
    lines = {
        step.pk: StepLine(number, step) for number, step in enumerate(steps, start=1)
    }
    report.steps = list(lines.values())
    exits = Counter(
        dict(
            Enrolment.objects.filter(sequence=sequence)
            .values_list("exit_reason")
            .annotate(n=Count("pk"))
        )
    )
    report.enrolled = sum(exits.values())
    report.running = exits.get("", 0)
    report.exited_goal = exits.get(Enrolment.Exit.GOAL, 0)
    report.finished = exits.get(Enrolment.Exit.FINISHED, 0)
    waiting = (
        Enrolment.objects.running()
        .filter(sequence=sequence)
        .values_list("next_index")
        .annotate(n=Count("pk"))
    )
    for index, count in waiting:
        if index < len(steps):
            lines[steps[index].pk].waiting = count
    sends = (
        StepSend.objects.filter(sequence=sequence)
        .values_list("step_id", "channel", "status")
        .annotate(n=Count("pk"))
    )
    for step_id, channel, status, count in sends:
        line = lines.get(step_id)
        if line is not None:
            setattr(line, status, getattr(line, status) + count)
        key = (channel, status)
        report.by_channel[key] = report.by_channel.get(key, 0) + count
    clicks = (
        LinkClick.objects.filter(sequence=sequence)
        .values_list("step_id")
        .annotate(n=Count("pk"))
    )
    for step_id, count in clicks:
        if step_id in lines:
            lines[step_id].clicks = count
    return report
