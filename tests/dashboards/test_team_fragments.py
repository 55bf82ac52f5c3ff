"""My team renders a row once per set of figures (`lms.lib.fragments`) and never
shows a stale one: the figures are read at every request, so a new completion, quiz
attempt or coaching review changes the page on the very next request."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import lazystr
from django.utils.safestring import mark_safe

from lms.lib import fragments
from tests.dashboards import history

ROW = "dashboards/includes/team_row.html"


def _row_of(client: Any, name: str) -> str:
    page = client.get(reverse("team_overview")).content.decode()
    rows = [row for row in re.findall(r"<tr>.*?</tr>", page, re.S) if name in row]
    assert len(rows) == 1, name
    return rows[0]


def _cells(row: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td.*?</td>", row)]


def test_it_shows_a_new_completion_at_once(client, org, onboarding):
    rep = org.rep_east
    onboarding.assign(rep, started_days_ago=2)
    client.force_login(org.east_manager)
    assert _cells(_row_of(client, rep.full_name))[3] == " 0%"
    onboarding.complete(rep, onboarding.d1)
    assert _cells(_row_of(client, rep.full_name))[3] == " 33%"


def test_it_shows_a_new_quiz_attempt_at_once(client, org):
    rep = org.rep_east
    history.quiz_attempt(rep, title="Discovery quiz", percent="60")
    client.force_login(org.east_manager)
    assert _cells(_row_of(client, rep.full_name))[6] == "60.0%"
    history.quiz_attempt(rep, title="Discovery quiz", percent="90", number=2)
    assert _cells(_row_of(client, rep.full_name))[6] == "90.0%"


def test_it_shows_a_new_coaching_review_at_once(client, org):
    rep = org.rep_east
    history.review(rep, org.east_coach, score="3.00")
    client.force_login(org.east_manager)
    assert _cells(_row_of(client, rep.full_name))[7] == "3.00"
    history.review(rep, org.east_coach, score="5.00")
    assert _cells(_row_of(client, rep.full_name))[7] == "4.00"


def test_it_shows_a_certificate_falling_into_its_renewal_window_at_once(
    client, org, time_machine
):
    rep = org.rep_east
    history.certificate(rep, expires_in_days=40)
    client.force_login(org.east_manager)
    assert _cells(_row_of(client, rep.full_name))[10] == "Certified"
    time_machine.move_to(timezone.now() + dt.timedelta(days=11))
    assert _cells(_row_of(client, rep.full_name))[10] == "Expiring"


def test_it_shows_new_tiles_and_start_months_at_once(client, org):
    client.force_login(org.east_manager)
    page = client.get(reverse("team_overview")).content.decode()
    assert "<strong>0</strong> certified" in page
    assert "March 2025" not in page
    history.certificate(org.rep_east, expires_in_days=200)
    org.rep_east2.start_date = dt.date(2025, 3, 14)
    org.rep_east2.save()
    page = client.get(reverse("team_overview")).content.decode()
    assert "<strong>1</strong> certified" in page
    assert '<option value="2025-03">March 2025</option>' in page


def _row(**shown: Any) -> dict[str, Any]:
    return {
        "pk": 7,
        "full_name": "Rae East",
        "team_name": "East",
        "start_date": dt.date(2026, 2, 2),
        "progress_percent": 50,
        "overdue": 0,
        "last_activity": dt.datetime(2026, 3, 1, 2, 30, tzinfo=dt.UTC),
        "quiz_average": Decimal("75.0"),
        "coaching_average": None,
        "talk_ratio_median": 0.5,
        "talk_ratio_calls": 2,
        "engaged_prospects": 0,
        "certification": "Certified",
    } | shown


def test_it_writes_the_same_figures_in_each_readers_time_zone_and_language(db):
    with timezone.override("UTC"):
        assert ">2026-03-01</time>" in fragments.fragment(ROW, row=_row())
    with timezone.override("America/New_York"):
        assert ">2026-02-28</time>" in fragments.fragment(ROW, row=_row())
    with translation.override("es"):
        assert "(2 llamadas)" in fragments.fragment(ROW, row=_row())
    assert "(2 calls)" in fragments.fragment(ROW, row=_row())


def test_it_tells_apart_values_that_compare_equal(db):
    # 75 == Decimal("75.00") == 75.0, but each is written its own way.
    for value in (75, Decimal("75.00"), 75.0, Decimal("75.0")):
        shown = fragments.fragment(ROW, row=_row(quiz_average=value))
        assert f'<td class="num">{value}%</td>' in shown


@pytest.mark.parametrize(
    "value",
    [mark_safe("<b>Rae</b>"), lazystr("Rae"), object(), ["a list"]],
    ids=["safe string", "lazy string", "object", "list"],
)
def test_it_refuses_values_whose_repr_does_not_say_what_they_render(db, value):
    with pytest.raises(TypeError):
        fragments.fragment(ROW, row=_row(full_name=value))


def test_it_keeps_a_bounded_amount_of_html(db, monkeypatch):
    monkeypatch.setattr(fragments, "MAX_CHARACTERS", 10_000)
    for pk in range(40):
        shown = fragments.fragment(ROW, row=_row(pk=pk))
        assert f'href="/people/{pk}/"' in shown
    assert 0 < fragments._size <= 10_000
