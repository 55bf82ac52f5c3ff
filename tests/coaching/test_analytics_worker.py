"""The conversation analytics of a call review through a real worker."""

from __future__ import annotations

import pytest

from coaching import services
from coaching.models import CallAnalysis

pytestmark = pytest.mark.worker


def test_a_call_review_is_analysed_by_the_worker_on_the_media_queue(
    celery_worker, org, rubric, make_ready_dialogue
):
    submission = services.call_review_request(
        rep=org.rep_east,
        asset=make_ready_dialogue(org.rep_east),
        title="Acme discovery call",
        rubric=rubric,
        rep_channel=1,
    )
    take = submission.takes.get()
    analysis = celery_worker.wait_for(
        lambda: CallAnalysis.objects.filter(
            take=take, state=CallAnalysis.State.DONE
        ).first(),
        timeout=60,
        what="the analysis",
    )
    assert analysis.speakers == 2
    assert analysis.rep_channel == 1
    assert 0.5 < analysis.rep_talk_ratio < 0.8  # the buyer talks more in the dialogue
    assert "call_analyse_task" in celery_worker.log()
