"""Reads for SCORM steps: what the step page shows, what a launch hands the player
(the SCOs, their content addresses and the CMI values to resume from), and the
check behind every content request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse

from courses.scorm.models import Sco, ScormAttempt, ScormPage, ScoState
from courses.scorm.packaging import SCORM_12
from lms.accounts.models import User

CONTENT_SALT = "scorm-content"


@dataclass(frozen=True)
class ScoLine:
    sco: Sco
    state: ScoState | None

    @property
    def done(self) -> bool:
        return self.state is not None and self.state.done


def sco_lines(attempt: ScormAttempt | None, page: ScormPage) -> list[ScoLine]:
    """The table of contents: the SCOs of the attempt's version (or of the newest
    version, before any attempt), each with what it reported in the attempt."""
    version = attempt.version if attempt is not None else page.package.current_version
    if version is None:
        return []
    states = (
        {state.sco_id: state for state in attempt.sco_states.all()}
        if attempt is not None
        else {}
    )
    return [ScoLine(sco, states.get(sco.pk)) for sco in version.scos.all()]


def scorm_page_context(*, user: User, page: ScormPage) -> dict[str, Any]:
    attempt = ScormAttempt.objects.filter(page=page, user=user).first()
    return {
        "scorm_attempt": attempt,
        "scorm_lines": sco_lines(attempt, page),
        "scorm_version": attempt.version
        if attempt is not None
        else page.package.current_version,
    }


def content_token(attempt: ScormAttempt, sco: Sco) -> str:
    """The capability in a SCO's content address: signed, naming the attempt and
    the SCO, valid for SCORM_CONTENT_TOKEN_SECONDS."""
    return signing.dumps({"a": attempt.pk, "s": sco.pk}, salt=CONTENT_SALT)


@dataclass(frozen=True)
class ContentGrant:
    attempt: ScormAttempt
    sco: Sco


def content_grant(token: str) -> ContentGrant | None:
    """What a content token opens: None when forged, expired, or when its attempt's
    step is gone or no longer published."""
    try:
        data = signing.loads(
            token, salt=CONTENT_SALT, max_age=settings.SCORM_CONTENT_TOKEN_SECONDS
        )
    except signing.BadSignature:
        return None
    attempt = (
        ScormAttempt.objects.select_related("version", "page")
        .filter(pk=data.get("a"))
        .first()
    )
    if attempt is None or attempt.page is None or not attempt.page.live:
        return None
    sco = Sco.objects.filter(pk=data.get("s"), version=attempt.version).first()
    if sco is None:
        return None
    return ContentGrant(attempt, sco)


def _learner_name(user: User) -> str:
    """SCORM's "Last, First" from the full name, as best it can be split."""
    names = user.full_name.split()
    if len(names) > 1:
        return f"{names[-1]}, {' '.join(names[:-1])}"
    return user.full_name or user.email


def initial_cmi(
    attempt: ScormAttempt, sco: Sco, state: ScoState | None
) -> dict[str, str]:
    """The CMI values a SCO starts from (flat element names): what the LMS provides
    (learner, mastery score, launch data, entry) and, when resuming, what the SCO
    stored before (statuses, score, location, suspend data)."""
    kept = dict(state.cmi) if state is not None else {}
    user = attempt.user
    if attempt.version.standard == SCORM_12:
        resuming = kept.pop("cmi.core.exit", "") == "suspend"
        kept.pop("cmi.core.session_time", None)
        cmi = {
            **kept,
            "cmi.core.student_id": str(user.pk),
            "cmi.core.student_name": _learner_name(user),
            "cmi.core.entry": "resume" if resuming else ("" if state else "ab-initio"),
            "cmi.launch_data": sco.launch_data,
        }
        if sco.mastery_score is not None:
            cmi["cmi.student_data.mastery_score"] = f"{sco.mastery_score:f}"
        return cmi
    resuming = kept.pop("cmi.exit", "") == "suspend"
    kept.pop("cmi.session_time", None)
    cmi = {
        **kept,
        "cmi.learner_id": str(user.pk),
        "cmi.learner_name": _learner_name(user),
        "cmi.entry": "resume" if resuming else ("" if state else "ab-initio"),
        "cmi.launch_data": sco.launch_data,
    }
    if sco.scaled_passing_score is not None:
        cmi["cmi.scaled_passing_score"] = f"{sco.scaled_passing_score:f}"
    return cmi


def launch_data(attempt: ScormAttempt) -> dict[str, Any]:
    """What the player in the step page receives at launch."""
    states = {state.sco_id: state for state in attempt.sco_states.all()}
    scos = []
    for sco in attempt.version.scos.all():
        token = content_token(attempt, sco)
        path, _, query = sco.launch.partition("?")
        url = reverse("scorm_content", args=[token, path])
        scos.append(
            {
                "id": sco.pk,
                "title": sco.title,
                "url": url + (f"?{query}" if query else ""),
                "commit_url": reverse("scorm_commit", args=[attempt.token, sco.pk]),
                "cmi": initial_cmi(attempt, sco, states.get(sco.pk)),
                "done": sco.pk in states and states[sco.pk].done,
            }
        )
    return {
        "standard": attempt.version.standard,
        "attempt": attempt.number,
        "completed": attempt.completed_at is not None,
        "scos": scos,
    }
