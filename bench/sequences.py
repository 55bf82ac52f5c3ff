"""Time one tick of the nudge-sequence engine with 100,000 enrolments due.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/onramp_seq
    .venv/bin/python bench/sequences.py [--enrolments 100000] [--sequences 20]

On a scratch PostgreSQL database (migrated here if needed; the benchmark's own rows
are replaced on each run): people in 50 teams with a manager each, an open course
assignment each, and `--sequences` active sequences of one e-mail step whose
message uses the variables (first name, next lesson with its tracked link, due date,
manager). Every person is enrolled in `--enrolments / people` of them, every
enrolment due now. Then one tick runs, as the beat job would: it enrols (nothing
new), and sends every due step through `automation.delivery.send` (the
notification log claim, the e-mail rendered and handed to Django's locmem
backend; no SMTP server here). Queries are counted with a database execute
wrapper. Ends with one line:
`tick_seconds=<n> messages_per_second=<n> queries_per_enrolment=<n>`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="onramp-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core import mail  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Site  # noqa: E402

from automation.sequences.models import (  # noqa: E402
    Enrolment,
    Sequence,
    SequenceStep,
    Trigger,
)
from automation.sequences.services import sequences_tick  # noqa: E402
from courses.models import Assignment, CoursePage, LessonPage  # noqa: E402
from lms.accounts.models import Team, User  # noqa: E402
from lms.notifications.models import NotificationLog  # noqa: E402

PREFIX = "Bench sequence"
DOMAIN = "seqbench.example"
TEAMS = 50
MESSAGE = (
    "Hi {{ first_name }},\n\nYour next lesson is {{ next_step.title }}: "
    "{{ next_step.url }}\n\n{{ course.title }} is due {{ due_date }}. "
    "{{ manager.name }} is rooting for you."
)


def prepare(*, enrolments: int, sequences: int) -> int:
    """The benchmark's people, course, sequences and due enrolments; returns how
    many enrolments are due."""
    Sequence.objects.filter(name__startswith=PREFIX).delete()
    NotificationLog.objects.filter(user__email__endswith=DOMAIN).delete()
    Assignment.objects.filter(user__email__endswith=DOMAIN).delete()
    User.objects.filter(email__endswith=DOMAIN).delete()
    Team.objects.filter(name__startswith=PREFIX).delete()
    per_person = max(1, min(sequences, enrolments // 20000 or 1))
    people_count = -(-enrolments // per_person)
    # Under the site's home page, so that the next lesson has an address and
    # every message carries a tracked link to it (signed per enrolment).
    root = Site.objects.get(is_default_site=True).root_page
    course = CoursePage.objects.child_of(root).filter(slug="seq-bench-course").first()
    if course is None:
        course = root.add_child(
            instance=CoursePage(
                title="Bench course", slug="seq-bench-course", summary="Bench."
            )
        )
        for number in range(3):
            course.add_child(
                instance=LessonPage(
                    title=f"Bench lesson {number + 1}", slug=f"lesson-{number}"
                )
            )
    teams = []
    for number in range(TEAMS):
        team = Team.add_root(name=f"{PREFIX} team {number}")
        teams.append(team)
    managers = User.objects.bulk_create(
        User(
            email=f"manager{number}@{DOMAIN}",
            full_name=f"Manager {number}",
            password="!",
        )
        for number in range(TEAMS)
    )
    for team, manager in zip(teams, managers, strict=True):
        team.managers.add(manager)
    zones = ["America/New_York", "Europe/Berlin", "Asia/Kolkata", "UTC"]
    people = User.objects.bulk_create(
        (
            User(
                email=f"rep{number}@{DOMAIN}",
                full_name=f"Rep Number{number}",
                password="!",
                team=teams[number % TEAMS],
                time_zone=zones[number % len(zones)],
            )
            for number in range(people_count)
        ),
        batch_size=5000,
    )
    now = timezone.now()
    Assignment.objects.bulk_create(
        (
            Assignment(
                user=person,
                course=course,
                reason=Assignment.Reason.MANUAL,
                due_at=now + dt.timedelta(days=10),
                required_total=3,
            )
            for person in people
        ),
        batch_size=5000,
    )
    made = []
    for number in range(sequences):
        sequence = Sequence.objects.create(
            name=f"{PREFIX} {number + 1}",
            status=Sequence.Status.ACTIVE,
            trigger=Trigger.START_DATE,
            counts_from=now,
            quiet_from=dt.time(0, 0),
            quiet_until=dt.time(0, 0),
        )
        SequenceStep.objects.create(
            sequence=sequence,
            sort_order=0,
            subject=f"Step of {sequence.name} for {{{{ first_name }}}}",
            message=MESSAGE,
        )
        made.append(sequence)
    rows = []
    for index in range(enrolments):
        person = people[index % people_count]
        sequence = made[(index // people_count) % sequences]
        rows.append(
            Enrolment(
                sequence=sequence,
                user=person,
                occurrence=f"bench:{index}",
                anchor_at=now - dt.timedelta(hours=1),
                next_due_at=now - dt.timedelta(minutes=1),
            )
        )
    Enrolment.objects.bulk_create(rows, batch_size=5000)
    return enrolments


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--enrolments", type=int, default=100_000)
    parser.add_argument("--sequences", type=int, default=20)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run it on PostgreSQL: set DATABASE_URL (see the docstring).")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    due = prepare(enrolments=args.enrolments, sequences=args.sequences)
    print(f"prepared {due} due enrolments in {time.perf_counter() - started:.1f} s")
    # A table that has just grown by 100,000 rows has no statistics until autovacuum
    # analyses it (within a minute or so in production, where a tick runs every few
    # minutes): without them PostgreSQL plans the batch claim as for an empty table.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    queries = 0

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started, cpu = time.perf_counter(), time.process_time()
        report = sequences_tick()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    # The machine is shared: the CPU time of this process says how much of the
    # wall-clock time was the tick's own work.
    print(
        f"enrolled={report.enrolled} advanced={report.advanced} sent={report.sent} "
        f"failed={report.failed} exited={report.exited} queries={queries} "
        f"emails={len(mail.outbox)} cpu_seconds={cpu:.1f}"
    )
    per_message = cpu * 1000 / max(report.sent, 1)
    print(f"tick_cpu_seconds={cpu:.1f} cpu_ms_per_message={per_message:.2f}")
    print(
        f"tick_seconds={seconds:.1f} "
        f"messages_per_second={report.sent / seconds:.0f} "
        f"queries_per_enrolment={queries / max(report.advanced, 1):.2f}"
    )


if __name__ == "__main__":
    main()
