"""One-click unsubscribe (RFC 8058) from the fixed notices and automated messages."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from lms.notifications.models import NoticePreference
from lms.notifications.preferences import notice_preference_set, unsubscribe_url
from lms.notifications.services import notify_once

pytestmark = pytest.mark.django_db


def _notify(user, kind="manager_digest", key="digest:2026-W48", **kwargs):
    return notify_once(
        user=user,
        kind=kind,
        key=key,
        subject="Your team this week",
        template="notifications/test_notice",
        context={},
        **kwargs,
    )


@pytest.fixture(autouse=True)
def _templates(settings, tmp_path):
    folder = tmp_path / "templates" / "notifications"
    folder.mkdir(parents=True)
    (folder / "test_notice.txt").write_text("Hello")
    (folder / "test_notice.html").write_text("<p>Hello</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates"]},
        *settings.TEMPLATES[1:],
    ]


def _link(message) -> str:
    header = message.extra_headers["List-Unsubscribe"]
    (url,) = re.findall(r"<([^>]+)>", header)
    return url.removeprefix("http://localhost:8000")


def test_fixed_notices_carry_list_unsubscribe_with_one_click(rep_factory):
    rep = rep_factory()
    assert _notify(rep) is True
    (message,) = mail.outbox
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    assert _link(message).startswith("/notifications/unsubscribe/")


def test_a_one_click_post_without_cookies_unsubscribes(rep_factory, client):
    rep = rep_factory()
    _notify(rep)
    response = client.post(
        _link(mail.outbox[0]),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert (
        NoticePreference.objects.get(user=rep, kind="manager_digest").channel == "off"
    )
    assert _notify(rep, key="digest:2026-W49") is False
    assert len(mail.outbox) == 1


def test_following_the_link_only_asks(rep_factory, client):
    rep = rep_factory()
    response = client.get(
        unsubscribe_url(user=rep, kind="manager_digest").removeprefix(
            "http://localhost:8000"
        )
    )
    assert response.status_code == 200
    assert b"Unsubscribe</button>" in response.content
    assert not NoticePreference.objects.exists()


def test_a_tampered_token_opens_nothing(rep_factory, client):
    rep = rep_factory()
    url = unsubscribe_url(user=rep, kind="manager_digest").removeprefix(
        "http://localhost:8000"
    )
    assert (
        client.post(url.replace("/unsubscribe/", "/unsubscribe/x")).status_code == 404
    )
    assert not NoticePreference.objects.exists()


def test_required_notices_ignore_unsubscribing_and_carry_no_link(rep_factory):
    rep = rep_factory()
    notice_preference_set(user=rep, kind="password_changed", channel="off")
    assert _notify(rep, kind="password_changed", required=True) is True
    assert "List-Unsubscribe" not in mail.outbox[0].extra_headers
