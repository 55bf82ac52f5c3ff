"""A review's comments as files: WebVTT, so that any player shows them as captions
over the recording, and CSV for a spreadsheet. Pure over loaded objects: the views
check that the viewer may see the review (a draft only by its author) and pass it in
with its comments and their replies prefetched, or they are read here."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

from django.utils.translation import pgettext

from coaching.models import Comment, Review
from lms.lib import spreadsheets

DEFAULT_CUE_SECONDS = Decimal(5)
_BLANK_LINES = re.compile(r"\n\s*\n+")


def _top_level(review: Review) -> list[Comment]:
    comments = [c for c in review.comments.all() if c.parent_id is None]
    return sorted(comments, key=lambda c: (c.start_seconds or 0, c.created_at, c.pk))


def timestamp(seconds: Decimal) -> str:
    """WebVTT time: 00:01:05.500."""
    millis = int((seconds * 1000).to_integral_value())
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def _cue_text(text: str) -> str:
    """Cue payload: markup characters escaped (so "-->" cannot end up in a cue),
    no blank line (that would end the cue), no carriage returns."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BLANK_LINES.sub("\n", text)


def _kind_label(comment: Comment) -> str:
    return comment.get_kind_display() if comment.kind else pgettext("noun", "Comment")


def _cue_end(comment: Comment, duration: Decimal | None) -> Decimal:
    start = comment.start_seconds or Decimal(0)
    if comment.end_seconds is not None:
        return comment.end_seconds
    end = start + DEFAULT_CUE_SECONDS
    if duration is not None and start < duration < end:
        end = duration
    return end


def _duration(review: Review) -> Decimal | None:
    asset = review.take.asset
    if asset is None or asset.duration is None:
        return None
    return Decimal(str(asset.duration)).quantize(Decimal("0.001"))


def comments_webvtt(review: Review) -> str:
    """One cue per top-level comment of the review, over its range or 5 seconds
    from its moment (cut at the recording's end), reading "Praise: text"."""
    duration = _duration(review)
    blocks = ["WEBVTT\n"]
    for comment in _top_level(review):
        start = comment.start_seconds or Decimal(0)
        blocks.append(
            f"comment-{comment.pk}\n"
            f"{timestamp(start)} --> {timestamp(_cue_end(comment, duration))}\n"
            f"{_kind_label(comment)}: {_cue_text(comment.text)}\n"
        )
    return "\n".join(blocks)


def _clock(seconds: Decimal | None) -> str:
    return "" if seconds is None else timestamp(seconds)


def comments_csv(review: Review) -> str:
    """One row per top-level comment of the review: time, end, type, author, text,
    and its replies ("Name: text", one per line)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["time", "end", "type", "author", "text", "replies"])
    for comment in _top_level(review):
        replies = sorted(comment.replies.all(), key=lambda r: (r.created_at, r.pk))
        writer.writerow(
            [
                _clock(comment.start_seconds),
                _clock(comment.end_seconds),
                _kind_label(comment),
                spreadsheets.cell(str(comment.author)),
                spreadsheets.cell(comment.text),
                spreadsheets.cell(
                    "\n".join(f"{reply.author}: {reply.text}" for reply in replies)
                ),
            ]
        )
    return out.getvalue()
