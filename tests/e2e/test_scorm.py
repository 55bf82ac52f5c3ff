"""A rep plays a SCORM 1.2 and a SCORM 2004 package in the browser (minimal packages
written to the specifications, tests/scorm/packages.py): saves part-way, comes back,
resumes where they were, and completes the step. The package's page also tries to
read the site's cookies and to call the API with the rep's session, and gets
nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from courses.models import LessonCompletion
from courses.scorm.demo import demo_package_zip
from courses.scorm.models import ScormPage, ScoState
from courses.scorm.services import package_import
from lms.accounts.models import User
from tests.factories import CoursePageFactory
from tests.scorm.packages import scorm12_files, scorm2004_files, zip_of

REP = "maya@northwind.example"

# Appended to the SCO's page: what a hostile package would try.
PROBE = """
<p id="cookie-probe">cookie: pending</p>
<p id="api-probe">api: pending</p>
<script>
try {
  document.getElementById("cookie-probe").textContent =
    "cookie: read " + JSON.stringify(document.cookie);
} catch (error) {
  document.getElementById("cookie-probe").textContent = "cookie: refused " + error.name;
}
fetch("/api/v1/me/learning-record/", {credentials: "include"})
  .then(function (response) { return response.text(); })
  .then(function (text) {
    document.getElementById("api-probe").textContent = "api: answered " + text;
  })
  .catch(function (error) {
    document.getElementById("api-probe").textContent = "api: refused " + error.name;
  });
</script>
</body>"""


def _step(files: dict[str, bytes | str], launch: str, course_title: str) -> ScormPage:
    files[launch] = str(files[launch]).replace("</body>", PROBE)
    course = CoursePageFactory(title=course_title, summary="Played in a browser.")
    page = package_import(data=zip_of(files), course=course).page
    assert page is not None
    return page


def _play(page: Page, step: ScormPage, csp_violations: list[dict[str, Any]]) -> None:
    page.goto(step.url)
    page.get_by_role("button", name="Start").click()
    frame = page.frame_locator("iframe[data-scorm-frame]")
    expect(frame.locator("#entry")).to_have_text("entry=ab-initio location=")

    # The package runs in an opaque origin: no cookie, no session for the API.
    expect(frame.locator("#cookie-probe")).to_have_text("cookie: refused SecurityError")
    expect(frame.locator("#api-probe")).to_have_text("api: refused TypeError")
    assert [v["directive"] for v in csp_violations] == ["connect-src"]
    csp_violations.clear()

    frame.get_by_role("button", name="Next page").click()
    expect(page.locator("[data-scorm-message]")).to_have_text("Progress saved.")

    page.reload()
    page.get_by_role("button", name="Resume").click()
    expect(frame.locator("#entry")).to_have_text("entry=resume location=page-2")
    csp_violations.clear()  # the probe runs again
    frame.get_by_role("button", name="Finish with 90").click()
    expect(page.locator("[data-scorm-message]")).to_have_text(
        "You have completed this step."
    )


def test_a_rep_plays_resumes_and_completes_a_scorm_12_package(
    page: Page, sign_in: Callable[..., None], csp_violations: list[dict[str, Any]]
) -> None:
    step = _step(scorm12_files(), "sco0/index.html", "Objection handling")
    sign_in(REP)
    _play(page, step, csp_violations)
    rep = User.objects.get(email=REP)
    completion = LessonCompletion.objects.get(user=rep, lesson=step)
    assert completion.how == LessonCompletion.How.SCORM
    state = ScoState.objects.get(attempt__user=rep)
    assert state.cmi["cmi.core.score.raw"] == "90"
    assert state.success_status == "passed"
    assert state.total_seconds == 135


def test_a_rep_plays_resumes_and_completes_a_scorm_2004_package(
    page: Page, sign_in: Callable[..., None], csp_violations: list[dict[str, Any]]
) -> None:
    step = _step(scorm2004_files(), "content/sco0.html", "Pricing conversations")
    sign_in(REP)
    _play(page, step, csp_violations)
    rep = User.objects.get(email=REP)
    assert LessonCompletion.objects.filter(user=rep, lesson=step).exists()
    state = ScoState.objects.get(attempt__user=rep)
    assert (state.completion_status, state.success_status) == ("completed", "passed")
    assert state.cmi["cmi.score.scaled"] == "0.9"


def test_a_rep_plays_the_demo_package_to_the_end(
    page: Page, sign_in: Callable[..., None]
) -> None:
    course = CoursePageFactory(title="Objection handling", summary="LAER.")
    step = package_import(data=demo_package_zip(), course=course).page
    assert step is not None
    sign_in(REP)
    page.goto(step.url)
    page.get_by_role("button", name="Start").click()
    frame = page.frame_locator("iframe[data-scorm-frame]")
    frame.get_by_role("button", name="Next").click()
    frame.get_by_label("Fair question. What do your store managers use").check()
    frame.get_by_label("A question").check()
    frame.get_by_role("button", name="Check my answers").click()
    expect(frame.locator("[data-result]")).to_contain_text("Both right")
    expect(page.locator("[data-scorm-message]")).to_have_text(
        "You have completed this step."
    )
    rep = User.objects.get(email=REP)
    assert LessonCompletion.objects.filter(user=rep, lesson=step).exists()
