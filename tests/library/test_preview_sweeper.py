from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile

from library import services
from library.models import LibraryItem

START = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)


def _uploaded(items, org):
    item = items.make(kind=LibraryItem.Kind.DOCUMENT, card_kind="", title="Notes")
    services.item_file_add(
        item=item, file=ContentFile(b"Stockout notes"), filename="n.txt", by=org.admin
    )
    item.refresh_from_db()
    return item


def test_a_new_file_waits_for_its_preview_as_processing(org, items, time_machine):
    time_machine.move_to(START, tick=False)
    item = _uploaded(items, org)
    assert (item.preview_status, item.preview_attempts) == ("processing", 1)
    assert item.preview_requested_at == START


def test_the_sweeper_asks_again_for_a_stuck_preview(
    org, items, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(START, tick=False)
    item = _uploaded(items, org)  # its job is never run: the worker died
    time_machine.move_to(START + dt.timedelta(minutes=10), tick=False)
    assert services.item_previews_requeue_stuck() == 0
    time_machine.move_to(START + dt.timedelta(minutes=16), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.item_previews_requeue_stuck() == 1
    item.refresh_from_db()
    assert (item.preview_status, item.extracted_text) == ("none", "Stockout notes")
    assert item.preview_attempts == 2
    assert services.item_previews_requeue_stuck() == 0


def test_the_sweeper_gives_up_after_three_attempts(
    org, items, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(START, tick=False)
    item = _uploaded(items, org)
    for minutes in (16, 32):
        time_machine.move_to(START + dt.timedelta(minutes=minutes), tick=False)
        with django_capture_on_commit_callbacks(execute=False) as jobs:
            assert services.item_previews_requeue_stuck() == 1
        assert len(jobs) == 1
    time_machine.move_to(START + dt.timedelta(minutes=48), tick=False)
    with django_capture_on_commit_callbacks(execute=False) as jobs:
        assert services.item_previews_requeue_stuck() == 0
    assert jobs == []
    item.refresh_from_db()
    assert (item.preview_status, item.preview_failure) == (
        "none",
        "it could not be processed after several tries.",
    )
