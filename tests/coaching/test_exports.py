from __future__ import annotations

import csv
import html
import io
import re
from decimal import Decimal

import pytest

from coaching import services
from coaching.exports import comments_csv, comments_webvtt, timestamp
from tests.factories import levels_for

TIMING = re.compile(
    r"^(?P<start>\d{2,}:[0-5]\d:[0-5]\d\.\d{3}) --> "
    r"(?P<end>\d{2,}:[0-5]\d:[0-5]\d\.\d{3})$"
)
ENTITY = re.compile(r"&(amp|lt|gt|nbsp|lrm|rlm);")


def seconds(stamp: str) -> Decimal:
    hours, minutes, rest = stamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + Decimal(rest)


def parse_webvtt(text: str) -> list[dict[str, object]]:
    """A strict reader of the WebVTT subset the export writes (W3C WebVTT: file
    signature, cue identifiers, timings, escaped cue text); fails on anything
    else."""
    assert "\r" not in text and "\x00" not in text
    assert text.endswith("\n")
    blocks = text.rstrip("\n").split("\n\n")
    assert blocks[0] == "WEBVTT", "the file starts with the signature alone"
    cues = []
    previous_start = Decimal(0)
    for block in blocks[1:]:
        if not block.strip("\n"):
            continue
        lines = block.strip("\n").split("\n")
        assert len(lines) >= 3, f"identifier, timing and text: {block!r}"
        identifier, timing, *payload = lines
        assert "-->" not in identifier and identifier.strip()
        match = TIMING.match(timing)
        assert match, f"bad timing line {timing!r}"
        start, end = seconds(match["start"]), seconds(match["end"])
        assert end > start >= previous_start, "cues end after they start, in order"
        previous_start = start
        for line in payload:
            assert line.strip(), "no blank line inside a cue"
            assert "-->" not in line
            assert "<" not in line and ">" not in line
            assert "&" not in ENTITY.sub("", line), f"unescaped & in {line!r}"
        cues.append(
            {
                "id": identifier,
                "start": start,
                "end": end,
                "text": html.unescape("\n".join(payload)),
            }
        )
    return cues


def test_it_formats_webvtt_timestamps():
    assert timestamp(Decimal("0")) == "00:00:00.000"
    assert timestamp(Decimal("65.5")) == "00:01:05.500"
    assert timestamp(Decimal("3725.25")) == "01:02:05.250"


@pytest.fixture
def review(org, submissions, rubric):
    submission = submissions.requested()
    take = submission.takes.get()
    coach = org.east_coach
    services.comment_add(
        take=take, author=coach, text="Clear agenda.", start_seconds=0.5,
        kind="praise",
    )  # fmt: skip
    services.comment_add(
        take=take,
        author=coach,
        text="Say --> \"we\" & <not> 'I'\n\n\nthen pause.",
        start_seconds="1.25",
        end_seconds="2.75",
        kind="improve",
    )
    question = services.comment_add(
        take=take, author=coach, text="=SUM(A1) why here?", start_seconds=2.5,
        kind="question",
    )  # fmt: skip
    review = services.review_start(take=take, coach=coach)
    review = services.review_submit(
        review=review,
        coach=coach,
        levels=levels_for(rubric, 4, 4, 4, 4),
        summary="",
        outcome="approved",
    )
    services.comment_add(
        take=take, author=org.rep_east, text="Budget, mostly.", parent=question
    )
    return review


def test_it_exports_one_cue_per_coach_comment_that_parses_back(review):
    vtt = comments_webvtt(review)
    cues = parse_webvtt(vtt)
    end = Decimal(str(review.take.asset.duration)).quantize(Decimal("0.001"))
    assert [(cue["start"], cue["end"], cue["text"]) for cue in cues] == [
        # 5 seconds would run past the 3-second recording: cut at its end.
        (Decimal("0.5"), end, "Praise: Clear agenda."),
        (
            Decimal("1.25"),
            Decimal("2.75"),
            "Improve: Say --> \"we\" & <not> 'I'\nthen pause.",
        ),
        (Decimal("2.5"), end, "Question: =SUM(A1) why here?"),
    ]
    assert "--&gt;" in vtt and "&amp;" in vtt and "&lt;not&gt;" in vtt
    assert len({cue["id"] for cue in cues}) == 3


def test_it_exports_an_empty_review_as_a_valid_file(org, submissions):
    review = services.review_start(
        take=submissions.requested().takes.get(), coach=org.east_coach
    )
    assert parse_webvtt(comments_webvtt(review)) == []


def test_it_gives_a_moment_five_seconds_on_a_longer_recording(review):
    review.take.asset.duration = 60.0
    cues = parse_webvtt(comments_webvtt(review))
    assert [(cue["start"], cue["end"]) for cue in cues] == [
        (Decimal("0.5"), Decimal("5.5")),
        (Decimal("1.25"), Decimal("2.75")),
        (Decimal("2.5"), Decimal("7.5")),
    ]


def test_it_needs_no_queries_over_prefetched_objects(review, django_assert_num_queries):
    from coaching.models import Review

    with django_assert_num_queries(5):
        loaded = (
            Review.objects.select_related("take__asset")
            .prefetch_related("comments__author", "comments__replies__author")
            .get(pk=review.pk)
        )
    with django_assert_num_queries(0):
        comments_webvtt(loaded)
        comments_csv(loaded)


def test_it_exports_csv_with_replies_and_no_formulas(review, org):
    rows = list(csv.reader(io.StringIO(comments_csv(review))))
    assert rows[0] == ["time", "end", "type", "author", "text", "replies"]
    assert rows[1] == ["00:00:00.500", "", "Praise", "Cora Coach", "Clear agenda.", ""]
    assert rows[2][:3] == ["00:00:01.250", "00:00:02.750", "Improve"]
    assert rows[2][4] == "Say --> \"we\" & <not> 'I'\n\n\nthen pause."
    assert rows[3][2:] == [
        "Question",
        "Cora Coach",
        "'=SUM(A1) why here?",
        "Rae East: Budget, mostly.",
    ]
    assert len(rows) == 4
