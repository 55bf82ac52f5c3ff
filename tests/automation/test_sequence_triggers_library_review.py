"""Two triggers: a library item updated for its audience, and a coach's review
submitted. Each enrols the right people once per occurrence, and the message
speaks of them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from automation.sequences.models import Enrolment, Role, Trigger
from automation.sequences.services import sequences_tick
from coaching.models import Review, Rubric, Submission, Take
from library.models import LibraryItem
from tests.automation.sequence_helpers import make_sequence
from tests.factories import make_rubric

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC)


@pytest.fixture
def people(org):  # type: ignore[no-untyped-def]
    """The org, everyone on UTC so that 15:00 is outside quiet hours."""
    for person in (org.rep_east, org.rep_east2, org.rep_west, org.rep_north):
        person.time_zone = "UTC"
        person.save(update_fields=["time_zone"])
    return org


def _item(owner, *, teams=(), updated_at: dt.datetime, **fields) -> LibraryItem:
    item = LibraryItem.objects.create(
        kind=LibraryItem.Kind.CARD,
        title="Pricing battlecard",
        owner=owner,
        audience_everyone=not teams,
        updated_at=updated_at,
        **fields,
    )
    item.audience_teams.set(teams)
    return item


def _recipients() -> list[str]:
    return sorted(message.to[0] for message in mail.outbox)


def test_an_updated_item_enrols_its_audience_with_sub_teams_once(people, time_machine):
    org = people
    time_machine.move_to(NOW, tick=False)
    make_sequence(
        [{"subject": "Updated for you, {{ first_name }} ({{ manager.name }})"}],
        trigger=Trigger.LIBRARY_UPDATED,
        role=Role.REP,
    )
    _item(org.admin, teams=[org.americas], updated_at=NOW - dt.timedelta(hours=1))

    sequences_tick()
    sequences_tick()

    # Americas' sub-teams East and West, not EMEA's North; reps only (a person in
    # a team, such as Cora, East's coach), not the region's manager, who has none.
    assert _recipients() == sorted(
        [
            org.rep_east.email,
            org.rep_east2.email,
            org.rep_west.email,
            org.east_coach.email,
        ]
    )
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects[org.rep_east.email] == "Updated for you, Rae (Ed East)"
    assert subjects[org.rep_west.email] == "Updated for you, Wes (Rita Region)"
    assert Enrolment.objects.filter(occurrence__startswith="library:").count() == 4


def test_each_update_of_an_item_is_an_occurrence_of_its_own(people, time_machine):
    org = people
    time_machine.move_to(NOW, tick=False)
    make_sequence(
        [{"subject": "Updated"}], trigger=Trigger.LIBRARY_UPDATED, role=Role.REP
    )
    item = _item(org.admin, teams=[org.north], updated_at=NOW - dt.timedelta(hours=1))
    sequences_tick()
    assert _recipients() == [org.rep_north.email]

    later = NOW + dt.timedelta(days=2)
    time_machine.move_to(later, tick=False)
    LibraryItem.objects.filter(pk=item.pk).update(updated_at=later)
    sequences_tick()
    sequences_tick()

    assert _recipients() == [org.rep_north.email, org.rep_north.email]
    assert Enrolment.objects.filter(user=org.rep_north).count() == 2


def test_an_item_for_everyone_reaches_only_the_sequences_own_teams(
    people, time_machine
):
    org = people
    time_machine.move_to(NOW, tick=False)
    make_sequence(
        [{"subject": "Updated"}],
        trigger=Trigger.LIBRARY_UPDATED,
        role=Role.REP,
        teams=[org.east],
    )
    _item(org.admin, updated_at=NOW - dt.timedelta(minutes=5))
    sequences_tick()
    assert _recipients() == sorted(
        [org.rep_east.email, org.rep_east2.email, org.east_coach.email]
    )


def test_archived_items_and_updates_before_the_sequence_counted_enrol_no_one(
    people, time_machine
):
    org = people
    time_machine.move_to(NOW, tick=False)
    make_sequence(
        [{"subject": "Updated"}],
        trigger=Trigger.LIBRARY_UPDATED,
        counts_from=NOW - dt.timedelta(days=1),
    )
    _item(org.admin, updated_at=NOW - dt.timedelta(days=2))
    _item(
        org.admin,
        updated_at=NOW - dt.timedelta(hours=1),
        archived_at=NOW - dt.timedelta(minutes=30),
    )
    sequences_tick()
    assert mail.outbox == []
    assert not Enrolment.objects.exists()


def _review(rep, reviewer, *, number: int = 1, **fields) -> Review:
    submission = Submission.objects.filter(rep=rep).first()
    if submission is None:
        submission = Submission.objects.create(
            rep=rep,
            title="Pricing call",
            kind="call",
            rubric=Rubric.objects.first() or make_rubric(),
            state="reviewed",
        )
    take = Take.objects.create(submission=submission, number=number)
    return Review.objects.create(take=take, reviewer=reviewer, **fields)


def test_a_submitted_review_enrols_its_rep_once_with_coach_and_manager(
    people, time_machine
):
    org = people
    time_machine.move_to(NOW, tick=False)
    make_sequence(
        [
            {
                "subject": "{{ first_name }}, your call was reviewed",
                "message": "{{ coach.name }} left you feedback. {{ manager.name }} "
                "will go through it with you.",
            }
        ],
        trigger=Trigger.REVIEW_SUBMITTED,
    )
    submitted = {"state": Review.State.SUBMITTED, "submitted_at": timezone.now()}
    _review(org.rep_east, org.east_coach, **submitted)
    # The rep's own self-review and a coach's draft are not "a review submitted".
    _review(org.rep_east2, org.rep_east2, is_self_review=True, **submitted)
    _review(org.rep_west, org.multi_coach)

    sequences_tick()
    sequences_tick()

    (message,) = mail.outbox
    assert message.to == [org.rep_east.email]
    assert message.subject == "Rae, your call was reviewed"
    assert message.body.startswith(
        "Cora Coach left you feedback. Ed East will go through it with you."
    )
    (enrolment,) = Enrolment.objects.all()
    assert enrolment.occurrence.startswith("review:")


def test_each_submitted_review_is_an_occurrence_and_other_teams_are_left_out(
    people, time_machine
):
    org = people
    time_machine.move_to(NOW, tick=False)
    make_sequence(
        [{"subject": "Reviewed"}],
        trigger=Trigger.REVIEW_SUBMITTED,
        teams=[org.americas],
    )
    submitted = {"state": Review.State.SUBMITTED, "submitted_at": timezone.now()}
    _review(org.rep_west, org.multi_coach, number=1, **submitted)
    _review(org.rep_north, org.multi_coach, **submitted)
    sequences_tick()

    draft = _review(org.rep_west, org.multi_coach, number=2)
    sequences_tick()
    assert _recipients() == [org.rep_west.email]

    time_machine.move_to(NOW + dt.timedelta(hours=2), tick=False)
    Review.objects.filter(pk=draft.pk).update(
        state=Review.State.SUBMITTED, submitted_at=timezone.now()
    )
    sequences_tick()
    sequences_tick()

    assert _recipients() == [org.rep_west.email, org.rep_west.email]
    assert Enrolment.objects.filter(user=org.rep_north).count() == 0


def test_the_message_names_the_updated_item_and_links_to_it(
    people, time_machine, client
):
    org = people
    time_machine.move_to(NOW, tick=False)
    make_sequence(
        [
            {
                "subject": "Updated: {{ item.title }}",
                "message": "Read {{ item.title }}: {{ item.url }}",
            }
        ],
        trigger=Trigger.LIBRARY_UPDATED,
        role=Role.REP,
        teams=[org.east],
    )
    item = _item(org.admin, teams=[org.east], updated_at=NOW - dt.timedelta(hours=1))

    sequences_tick()

    message = next(m for m in mail.outbox if m.to == [org.rep_east.email])
    assert message.subject == "Updated: Pricing battlecard"
    link = message.body.split(": ", 1)[1].split()[0]
    assert "/go/" in link
    client.force_login(org.rep_east)
    answer = client.get(link.removeprefix(settings.SITE_URL))
    assert answer.status_code == 302
    assert answer.url == f"/library/{item.pk}/"
