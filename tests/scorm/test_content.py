"""Serving a package's files under /scorm-content/: only to a launch's token, only
the package's own files, with nosniff, a CSP that keeps the package to its folder
and sandboxes it, and the bridge script first in every HTML page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from courses.scorm.models import ScormPage
from tests.scorm.packages import scorm12_files, scorm12_zip, zip_of

pytestmark = pytest.mark.django_db
Step = Callable[..., ScormPage]


def launched(client: Client, rep: Any, page: ScormPage) -> dict[str, Any]:
    client.force_login(rep)
    data: dict[str, Any] = client.post(f"/learning/scorm/{page.pk}/launch/").json()
    return data["scos"][0]


def test_it_serves_the_launch_page_with_the_bridge_first_and_its_policy(
    client: Client, rep_factory: Any, make_scorm_step: Step
) -> None:
    page = make_scorm_step(scorm12_zip())
    sco = launched(client, rep_factory(), page)
    assert sco["url"].startswith("/scorm-content/")
    response = Client().get(sco["url"])  # no session needed: the token is the key
    assert response.status_code == 200
    html = response.content.decode()
    token = sco["url"].split("/")[2]
    assert html.index(f'<script src="/scorm-content/bridge/{token}.js"></script>') < (
        html.index("function findAPI")
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    policy = response["Content-Security-Policy"]
    folder = f"http://testserver/scorm-content/{token}/"
    assert f"default-src {folder};" in policy
    assert f"connect-src {folder};" in policy
    assert "sandbox allow-scripts" in policy and "allow-same-origin" not in policy
    assert "frame-ancestors 'self'" in policy


def test_it_gives_the_bridge_the_starting_values(
    client: Client, rep_factory: Any, make_scorm_step: Step
) -> None:
    page = make_scorm_step(scorm12_zip())
    sco = launched(client, rep_factory(full_name="Ana Lima"), page)
    token = sco["url"].split("/")[2]
    script = Client().get(f"/scorm-content/bridge/{token}.js")
    assert script["Content-Type"] == "text/javascript; charset=utf-8"
    body = script.content.decode()
    assert "CrossFrameAPI" in body and '"cmi.core.student_name": "Lima, Ana"' in body
    assert 'var parentOrigin = "http://testserver";' in body


def test_it_serves_only_the_packages_own_files(
    client: Client, rep_factory: Any, make_scorm_step: Step
) -> None:
    files = scorm12_files()
    files["sco0/style.css"] = "body { color: navy }"
    page = make_scorm_step(zip_of(files))
    sco = launched(client, rep_factory(), page)
    folder = sco["url"].rsplit("/", 2)[0]
    css = Client().get(f"{folder}/sco0/style.css")
    assert css.status_code == 200 and css["Content-Type"] == "text/css"
    assert css["X-Content-Type-Options"] == "nosniff"
    assert Client().get(f"{folder}/imsmanifest.xml").status_code == 404
    assert Client().get(f"{folder}/sco0/missing.html").status_code == 404
    assert Client().get(f"{folder}/sco0/../../../settings.py").status_code == 404


def test_it_refuses_forged_and_expired_tokens(
    client: Client,
    rep_factory: Any,
    make_scorm_step: Step,
    settings: Any,
    time_machine: Any,
) -> None:
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    time_machine.move_to(start, tick=False)
    settings.SCORM_CONTENT_TOKEN_SECONDS = 3600
    page = make_scorm_step(scorm12_zip())
    sco = launched(client, rep_factory(), page)
    token = sco["url"].split("/")[2]
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert Client().get(f"/scorm-content/{forged}/sco0/index.html").status_code == 404
    time_machine.move_to(start + dt.timedelta(seconds=3599), tick=False)
    assert Client().get(sco["url"]).status_code == 200
    time_machine.move_to(start + dt.timedelta(seconds=3601), tick=False)
    assert Client().get(sco["url"]).status_code == 404


def test_it_stops_serving_a_step_that_was_unpublished(
    client: Client, rep_factory: Any, make_scorm_step: Step
) -> None:
    page = make_scorm_step(scorm12_zip())
    sco = launched(client, rep_factory(), page)
    page.unpublish()
    assert Client().get(sco["url"]).status_code == 404
