"""The account pages (signing in, a forgotten password, changing the password or the
e-mail address) and allauth's e-mails speak the visitor's or the person's language.

allauth has no Bengali and Django's Bengali has no password rules, so Onramp words
these pages, their errors, the password rules and allauth's e-mails itself.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from lms.accounts.forms import InvitationAcceptForm
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _reset_link(body: str) -> str:
    found = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", body)
    assert found, body
    return found.group(1)


def test_the_password_reset_pages_speak_the_visitors_language(client):
    page = client.get(
        reverse("account_reset_password"), headers={"accept_language": "bn"}
    )

    assert "<h1>পাসওয়ার্ড ভুলে গেছেন</h1>" in page.text
    assert "ই-মেইল ঠিকানা" in page.text
    assert "Reset My Password" not in page.text

    done = client.post(
        reverse("account_reset_password"),
        {"email": "nobody@example.org"},
        headers={"accept_language": "es"},
        follow=True,
    )

    assert "<h1>Revisa tu correo</h1>" in done.text


def test_the_reset_email_goes_out_in_the_account_holders_language(client, org):
    org.rep_east.language = "bn"
    org.rep_east.save(update_fields=["language"])

    client.post(
        reverse("account_reset_password"),
        {"email": org.rep_east.email},
        headers={"accept_language": "en"},
    )

    (sent,) = mail.outbox
    assert sent.subject.endswith("নতুন পাসওয়ার্ড বেছে নিন")
    assert "এখানে সেটি বেছে নিন" in sent.body


def test_an_address_without_an_account_is_told_so_in_the_askers_language(client):
    client.post(
        reverse("account_reset_password"),
        {"email": "nobody@example.org"},
        headers={"accept_language": "es"},
    )

    (sent,) = mail.outbox
    assert sent.subject.endswith("Ninguna cuenta de Onramp usa esta dirección")
    assert "solo por invitación" in sent.body
    assert "sign up" not in sent.body  # Onramp has no sign-up to offer


def test_choosing_a_new_password_explains_the_rules_in_bengali(client, org):
    client.post(reverse("account_reset_password"), {"email": org.rep_east.email})
    form_url = client.get(_reset_link(mail.outbox[0].body)).url

    page = client.post(
        form_url,
        {"password1": "short", "password2": "short"},
        headers={"accept_language": "bn"},
    )

    assert "পাসওয়ার্ডটি খুব ছোট: এতে অন্তত ৮টি অক্ষর থাকতে হবে।" in page.text
    assert "এতে শুধু সংখ্যা থাকতে পারবে না।" in page.text  # a rule, in the help
    assert "Your password" not in page.text
    mismatch = client.post(
        form_url,
        {"password1": "a-long-enough-one", "password2": "another-long-one"},
        headers={"accept_language": "es"},
    )
    assert "Las dos contraseñas no coinciden." in mismatch.text


def test_the_invitations_password_rules_follow_the_readers_language():
    rules = InvitationAcceptForm.base_fields["password1"].help_text

    with translation.override("es"):
        spanish = str(rules)

    assert "It cannot be only digits." in str(rules)
    assert "No puede tener solo números." in spanish


def test_a_wrong_password_is_refused_in_the_visitors_language(client, org):
    page = client.post(
        reverse("account_login"),
        {"login": org.rep_east.email, "password": "not-it"},
        headers={"accept_language": "bn"},
    )

    assert "এই ই-মেইল ঠিকানা আর পাসওয়ার্ড মিলছে না।" in page.text
    assert 'href="/accounts/password/reset/">পাসওয়ার্ড ভুলে গেছেন?</a>' in page.text


def test_signing_in_is_confirmed_in_the_persons_own_language(client, org):
    org.rep_east.language = "bn"
    org.rep_east.save(update_fields=["language"])

    start = client.post(
        reverse("account_login"),
        {"login": org.rep_east.email, "password": PASSWORD},
        headers={"accept_language": "en"},
        follow=True,
    )

    assert f"{org.rep_east.full_name} হিসেবে সাইন ইন করেছেন।" in start.text


def test_the_switcher_names_each_language_in_itself(client):
    page = client.get(reverse("account_login"), headers={"accept_language": "bn"})

    assert '<option value="en" lang="en">English</option>' in page.text
    assert '<option value="es" lang="es">Español</option>' in page.text
    assert '<option value="bn" lang="bn" selected>বাংলা</option>' in page.text


def _signed_in_in_bengali(client, org):
    org.rep_east.language = "bn"
    org.rep_east.save(update_fields=["language"])
    client.force_login(org.rep_east)


def test_changing_the_password_speaks_the_persons_language(client, org):
    _signed_in_in_bengali(client, org)

    page = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "a-long-enough-one", "password2": "x"},
    )

    assert "<h1>আপনার পাসওয়ার্ড বদলান</h1>" in page.text
    assert "বর্তমান পাসওয়ার্ড" in page.text
    assert "দুটি পাসওয়ার্ড মেলেনি।" in page.text
    assert "Current Password" not in page.text
    assert "New Password" not in page.text


def test_changing_the_email_address_speaks_the_persons_language(client, org):
    _signed_in_in_bengali(client, org)

    page = client.get(reverse("account_email"))

    assert "<h1>ই-মেইল ঠিকানা</h1>" in page.text
    assert "নতুন ঠিকানা" in page.text
    assert "Change to" not in page.text
    assert (
        "display: none" not in page.text
    )  # the style sheet policy allows no inline style


def test_the_profile_names_the_time_zone_in_the_persons_language(client, org):
    _signed_in_in_bengali(client, org)

    page = client.get(reverse("profile"))

    assert '<label for="id_time_zone">সময় অঞ্চল</label>' in page.text
