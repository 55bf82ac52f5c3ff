from __future__ import annotations

import datetime as dt

from library import notices, services, tasks
from library.models import LibraryItem

MONDAY = "2026-03-02"


def _subjects(mailoutbox):
    return [(m.to[0], m.subject) for m in mailoutbox]


def test_it_emails_the_owner_14_days_before_and_on_the_day_once_each(
    items, mailoutbox, time_machine
):
    item = items.make(title="Versus Globex", review_by=dt.date(2026, 3, 20))
    owner = items.owner.email
    time_machine.move_to("2026-03-05 09:00Z", tick=False)
    assert notices.review_notices_send() == {"soon": 0, "due": 0}
    time_machine.move_to("2026-03-06 09:00Z", tick=False)
    assert notices.review_notices_send() == {"soon": 1, "due": 0}
    assert notices.review_notices_send() == {"soon": 0, "due": 0}
    time_machine.move_to("2026-03-12 09:00Z", tick=False)
    assert notices.review_notices_send() == {"soon": 0, "due": 0}
    time_machine.move_to("2026-03-20 00:30Z", tick=False)
    assert tasks.review_notices_send_task() == {"soon": 0, "due": 1}
    assert tasks.review_notices_send_task() == {"soon": 0, "due": 0}
    assert _subjects(mailoutbox) == [
        (owner, "“Versus Globex” is due for review on 20 March"),
        (owner, "Review “Versus Globex” today"),
    ]
    assert f"/admin/snippets/library/libraryitem/edit/{item.pk}/" in mailoutbox[1].body


def test_a_new_review_date_gets_new_notices(items, mailoutbox, time_machine):
    item = items.make(review_by=dt.date(2026, 3, 10))
    time_machine.move_to("2026-03-10 09:00Z", tick=False)
    assert notices.review_notices_send()["due"] == 1
    flag = services.item_flag(item=item, by=items.org.rep_east, reason="other", note="")
    services.flag_resolve(flag=flag, by=items.owner, resolution="updated", note="ok")
    item.refresh_from_db()
    time_machine.move_to(
        dt.datetime.combine(item.review_by, dt.time(9), tzinfo=dt.UTC), tick=False
    )
    assert notices.review_notices_send()["due"] == 1


def test_it_waits_for_the_owners_own_day(items, mailoutbox, time_machine):
    items.owner.time_zone = "America/Los_Angeles"
    items.owner.save()
    items.make(review_by=dt.date(2026, 3, 10))
    time_machine.move_to("2026-03-10 05:00Z", tick=False)  # 9 March in LA
    assert notices.review_notices_send()["due"] == 0
    time_machine.move_to("2026-03-10 09:00Z", tick=False)
    assert notices.review_notices_send()["due"] == 1


def test_it_leaves_archived_and_long_expired_items_alone(
    items, mailoutbox, time_machine, settings
):
    settings.LIBRARY_REVIEW_GRACE_DAYS = 14
    archived = items.make(review_by=dt.date(2026, 3, 10))
    services.item_archive(item=archived)
    items.make(review_by=dt.date(2026, 1, 1))
    time_machine.move_to("2026-03-10 09:00Z", tick=False)
    assert notices.review_notices_send() == {"soon": 0, "due": 0}


def test_the_weekly_digest_lists_flags_and_due_reviews_once_a_week(
    items, org, mailoutbox, time_machine
):
    time_machine.move_to("2026-02-27 09:00Z", tick=False)
    flagged = items.make(title="Pricing one-pager", review_by=dt.date(2026, 9, 1))
    items.make(title="Versus Globex", review_by=dt.date(2026, 3, 9))
    items.make(title="Far away", review_by=dt.date(2026, 9, 1))
    services.item_flag(
        item=flagged, by=org.rep_east, reason="wrong_pricing", note="Old seats"
    )
    items.make(
        title="Someone else's", owner=org.rep_west, review_by=dt.date(2027, 1, 1)
    )
    mailoutbox.clear()
    time_machine.move_to(f"{MONDAY} 06:00Z", tick=False)
    assert notices.owner_digests_send() == 0
    time_machine.move_to(f"{MONDAY} 07:30Z", tick=False)
    assert tasks.owner_digests_send_task() == 1
    assert notices.owner_digests_send() == 0
    (digest,) = mailoutbox
    assert digest.to == [items.owner.email]
    assert digest.subject == "Your library items this week: 1 flag, 1 review due"
    assert "Pricing one-pager: wrong pricing (flagged by Rae East" in digest.body
    assert "Versus Globex: review by 9 Mar 2026 (Current)" in digest.body
    assert "Far away" not in digest.body
    time_machine.move_to("2026-03-09 08:00Z", tick=False)
    assert notices.owner_digests_send() == 1


def test_owners_with_nothing_to_do_get_no_digest(items, mailoutbox, time_machine):
    items.make(review_by=dt.date(2027, 1, 1))
    LibraryItem.objects.update(review_by=dt.date(2027, 1, 1))
    time_machine.move_to(f"{MONDAY} 09:00Z", tick=False)
    assert notices.owner_digests_send() == 0
    assert mailoutbox == []
