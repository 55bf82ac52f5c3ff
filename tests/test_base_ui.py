"""The shared layout: error pages and each person's time zone."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.utils import timezone
from django.views.defaults import server_error

from lms.accounts.middleware import UserTimezoneMiddleware
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_serves_a_friendly_500_page_without_a_request_context():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_it_shows_times_in_the_signed_in_persons_time_zone():
    request = RequestFactory().get("/")
    request.user = UserFactory(time_zone="Asia/Tokyo")
    seen = []
    UserTimezoneMiddleware(lambda r: seen.append(timezone.get_current_timezone_name()))(
        request
    )
    assert seen == ["Asia/Tokyo"]


def test_it_has_a_skip_link_and_labelled_navigation(client):
    client.force_login(UserFactory())
    page = client.get("/").content.decode()
    assert 'href="#main"' in page
    assert 'aria-label="Main"' in page
    assert 'aria-current="page"' in page
