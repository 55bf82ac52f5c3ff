"""Deactivation, a password change and deletion end every session of a person, for
good: reactivating them or restoring a password never brings an old session back."""

from __future__ import annotations

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from django.test import Client
from django.urls import reverse

from lms.accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PROFILE = reverse("profile")


def _signed_in_client(person: User) -> Client:
    """A browser that signed in with the password, as people do."""
    browser = Client()
    response = browser.post(
        "/accounts/login/", {"login": person.email, "password": PASSWORD}
    )
    assert response.status_code == 302, response
    assert _is_signed_in(browser)
    return browser


def _is_signed_in(browser: Client) -> bool:
    response = browser.get(PROFILE)
    if response.status_code == 302:
        assert response["Location"].startswith("/accounts/login/")
        return False
    assert response.status_code == 200
    return True


def _operator_client() -> Client:
    browser = Client()
    browser.force_login(UserFactory(is_staff=True, is_superuser=True))
    return browser


def test_it_keeps_sessions_ended_after_deactivation_and_reactivation():
    person = UserFactory()
    laptop, phone = _signed_in_client(person), _signed_in_client(person)
    stored = User.objects.get(pk=person.pk)
    stored.is_active = False
    stored.save()
    assert not _is_signed_in(laptop)
    stored = User.objects.get(pk=person.pk)
    stored.is_active = True
    stored.save()
    assert not _is_signed_in(laptop)
    assert not _is_signed_in(phone)
    assert _is_signed_in(_signed_in_client(person))  # signing in again works


def test_it_ends_sessions_when_an_operator_sets_a_new_password():
    person = UserFactory()
    laptop, phone = _signed_in_client(person), _signed_in_client(person)
    old_hash = User.objects.get(pk=person.pk).password
    response = _operator_client().post(
        reverse("admin:auth_user_password_change", args=[person.pk]),
        {"password1": "a new passphrase 42", "password2": "a new passphrase 42"},
    )
    assert response.status_code == 302
    assert not _is_signed_in(laptop)
    # Putting the old password back does not revive a session unused meanwhile.
    stored = User.objects.get(pk=person.pk)
    stored.password = old_hash
    stored.save()
    assert not _is_signed_in(phone)


def test_it_ends_sessions_when_the_person_is_deleted():
    person = UserFactory()
    laptop = _signed_in_client(person)
    User.objects.get(pk=person.pk).delete()
    assert not _is_signed_in(laptop)


def test_it_keeps_the_session_a_person_changes_their_own_password_in():
    person = UserFactory()
    laptop, phone = _signed_in_client(person), _signed_in_client(person)
    response = laptop.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "a new passphrase 42",
            "password2": "a new passphrase 42",
        },
    )
    assert response.status_code == 302
    assert _is_signed_in(laptop)
    assert not _is_signed_in(phone)


def test_it_leaves_sessions_alone_when_nothing_about_access_changes():
    person = UserFactory()
    laptop = _signed_in_client(person)
    stored = User.objects.get(pk=person.pk)
    stored.full_name = "A New Name"
    stored.time_zone = "Europe/Madrid"
    stored.save()
    User.objects.get(pk=person.pk).save(update_fields=["full_name"])
    assert _is_signed_in(laptop)


def test_it_keeps_sessions_made_before_the_counter_existed():
    person = UserFactory()
    User.objects.filter(pk=person.pk).update(session_generation=0)
    stored = User.objects.get(pk=person.pk)
    assert stored.get_session_auth_hash() == AbstractBaseUser.get_session_auth_hash(
        stored
    )
