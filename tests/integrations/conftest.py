from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from integrations.scopes import SCOPES
from integrations.tokens import api_token_create


class Api:
    """A test client that speaks to the API with a bearer token."""

    def __init__(self, secret: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def get(self, url: str, **params: Any) -> Any:
        return self.client.get(url, params, headers=self.headers)

    def post(self, url: str, data: Any = None, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        return self.client.post(
            url,
            data if data is not None else {},
            content_type="application/json",
            headers={**self.headers, **(headers or {})},
        )

    def patch(self, url: str, data: Any):  # type: ignore[no-untyped-def]
        return self.client.patch(
            url, data, content_type="application/json", headers=self.headers
        )

    def delete(self, url: str):  # type: ignore[no-untyped-def]
        return self.client.delete(url, headers=self.headers)


def make_token(user: Any, scopes: list[str] | None = None, **kwargs: Any) -> str:
    service = kwargs.pop("service", user.is_enablement_admin)
    return api_token_create(
        user=user,
        name="test",
        scopes=scopes or [s for s in SCOPES if service or s != "scim"],
        service=service,
        **kwargs,
    ).secret


@pytest.fixture
def api_as():  # type: ignore[no-untyped-def]
    """api_as(user, scopes=None) -> Api; api_as(None) is anonymous."""

    def make(user: Any, scopes: list[str] | None = None) -> Api:
        return Api(make_token(user, scopes) if user is not None else None)

    return make


class Catalogue:
    """Two published courses of two reading lessons each, and a path of both."""

    def __init__(self) -> None:
        from courses.models import (
            CourseIndexPage,
            CoursePage,
            LearningPath,
            LessonPage,
            PathStep,
        )
        from lms.models import HomePage

        index = HomePage.objects.get().add_child(
            instance=CourseIndexPage(title="Courses", slug="courses")
        )
        self.course = index.add_child(
            instance=CoursePage(title="Discovery calls", summary="Ask.")
        )
        self.second = index.add_child(
            instance=CoursePage(title="Demo skills", summary="Show.")
        )
        self.lessons = [
            course.add_child(
                instance=LessonPage(
                    title=f"{course.title} {n}", body=[("paragraph", "<p>Read.</p>")]
                )
            )
            for course in (self.course, self.second)
            for n in (1, 2)
        ]
        self.path = LearningPath(title="First 30 days")
        self.path.steps.add(PathStep(course=self.course, due_offset_days=7))
        self.path.steps.add(PathStep(course=self.second, due_offset_days=14))
        self.path.save()


@pytest.fixture
def catalogue(org: Any) -> Catalogue:
    made = Catalogue()
    _as_committed()
    return made


class Receiver:
    """A webhook receiver on 127.0.0.1 that records every request and answers with
    `status` (and `location` for redirects)."""

    def __init__(self) -> None:
        import http.server
        import threading

        self.requests: list[dict[str, Any]] = []
        self.status = 204
        self.location = ""
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("content-length", 0))
                receiver.requests.append(
                    {
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": self.rfile.read(length),
                    }
                )
                self.send_response(receiver.status)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return None

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/onramp"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def events(self) -> list[str]:
        import json

        return [json.loads(r["body"])["type"] for r in self.requests]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings: Any):  # type: ignore[no-untyped-def]
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    receiver = Receiver()
    yield receiver
    receiver.close()


def _as_committed() -> None:
    """Forget the after-commit callbacks that setting up registered, as if the setup
    had been committed before the test: events are announced once per transaction,
    and the test's own changes must not be taken for the setup's."""
    from django.db import transaction

    transaction.get_connection().run_on_commit.clear()


@pytest.fixture
def org(db: None) -> Any:
    from tests.conftest import Org

    made = Org()
    _as_committed()
    return made


@pytest.fixture
def ralph(tmp_path_factory: Any):  # type: ignore[no-untyped-def]
    """A real LRS (Ralph, file-system backend) of the test's own (statement ids
    repeat between tests, as row ids do); see
    tests/integrations/ralph.py. Skipped, with the reason, where Ralph cannot be
    installed or started."""
    from tests.integrations.ralph import Ralph, RalphUnavailable

    try:
        lrs = Ralph(tmp_path_factory.mktemp("ralph"))
    except RalphUnavailable as reason:
        pytest.skip(str(reason))
    yield lrs
    lrs.stop()
