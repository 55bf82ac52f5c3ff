"""Signing in and out, wrong passwords, rate limits, password reset, e-mail change."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _sign_in(client, email, password=PASSWORD):
    return client.post(LOGIN, {"login": email, "password": password})


def _verified_user(**kwargs):
    user = UserFactory(**kwargs)
    EmailAddress.objects.create(
        user=user, email=user.email, primary=True, verified=True
    )
    return user


def test_it_signs_in_with_email_and_password(client):
    user = _verified_user(email="maya@example.com")
    response = _sign_in(client, "maya@example.com")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").context["user"] == user


def test_it_ignores_case_in_the_email_address(client):
    _verified_user(email="maya@example.com")
    assert _sign_in(client, "Maya@Example.COM").status_code == 302


def test_it_refuses_a_wrong_password(client):
    _verified_user(email="maya@example.com")
    response = _sign_in(client, "maya@example.com", "not the password")
    assert response.status_code == 200
    assert "e-mail address and password do not match" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_answers_an_unknown_email_like_a_wrong_password(client):
    _verified_user(email="maya@example.com")
    known = _sign_in(client, "maya@example.com", "not the password")
    unknown = _sign_in(client, "nobody@example.com", "not the password")
    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors


def test_it_signs_out(client):
    user = _verified_user()
    client.force_login(user)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_it_locks_an_address_after_five_wrong_passwords(client):
    _verified_user(email="maya@example.com")
    for _ in range(5):
        _sign_in(client, "maya@example.com", "guess")
    response = _sign_in(client, "maya@example.com")  # even the right password
    assert "Too many attempts to sign in" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_refuses_inactive_users(client):
    _verified_user(email="gone@example.com", is_active=False)
    _sign_in(client, "gone@example.com")
    assert "_auth_user_id" not in client.session


def _reset(client, email):
    return client.post("/accounts/password/reset/", {"email": email})


def test_it_emails_a_working_password_reset_link(client):
    _verified_user(email="maya@example.com")
    response = _reset(client, "maya@example.com")
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["maya@example.com"]
    link = re.search(
        r"https?://[^/]+(/accounts/password/reset/key/\S+)", mail.outbox[0].body
    )
    assert link, mail.outbox[0].body

    form_page = client.get(link.group(1), follow=True)
    new_password = "a brand new passphrase 42"
    client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1),
        {"password1": new_password, "password2": new_password},
    )
    client.logout()
    assert _sign_in(client, "maya@example.com", new_password).status_code == 302


def test_it_answers_a_reset_for_an_unknown_email_the_same_way(client):
    _verified_user(email="maya@example.com")
    known = _reset(client, "maya@example.com")
    unknown = _reset(client, "nobody@example.com")
    assert (known.status_code, known["Location"]) == (
        unknown.status_code,
        unknown["Location"],
    )
    # Both addresses get an e-mail: a link for the account, a notice for the other.
    assert [m.to for m in mail.outbox] == [["maya@example.com"], ["nobody@example.com"]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    assert "/accounts/password/reset/key/" not in mail.outbox[1].body


def test_it_changes_the_email_address_after_confirmation(client):
    user = _verified_user(email="old@example.com")
    client.force_login(user)
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "new@example.com"}
    )
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["new@example.com"]
    user.refresh_from_db()
    assert user.email == "old@example.com"  # not before it is confirmed

    link = re.search(
        r"https?://[^/]+(/accounts/confirm-email/\S+)", mail.outbox[-1].body
    )
    assert link, mail.outbox[-1].body
    client.post(link.group(1))

    user.refresh_from_db()
    assert user.email == "new@example.com"
    client.logout()
    assert _sign_in(client, "new@example.com").status_code == 302


def test_it_changes_addresses_only_through_confirmation_not_the_wagtail_account(client):
    from tests.factories import make_admin

    admin = make_admin(email="priya@example.com")
    client.force_login(admin)
    page = client.get("/admin/account/")
    assert page.status_code == 200
    assert 'name="name_email-' not in page.content.decode()
    assert 'name="theme-theme"' in page.content.decode()
    client.post("/admin/account/", {"name_email-email": "evil@example.com"})
    admin.refresh_from_db()
    assert admin.email == "priya@example.com"


def test_it_keeps_signup_closed(client):
    from lms.accounts.models import User

    assert (
        "Accounts are by invitation" in client.get("/accounts/signup/").content.decode()
    )
    response = client.post(
        "/accounts/signup/",
        {"email": "new@example.com", "password1": "x" * 20, "password2": "x" * 20},
    )
    assert "Accounts are by invitation" in response.content.decode()
    assert not User.objects.filter(email="new@example.com").exists()
