"""People and teams, the error pages and the start page in Spanish and Bengali: the
invitation pages and e-mail (in the inviter's language: the invited person has none
yet), form errors and messages."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from lms.accounts import services
from lms.accounts.models import Invitation
from lms.accounts.services import InvitationRequest

pytestmark = pytest.mark.django_db


def _speaking(user, language: str):
    user.language = language
    user.save(update_fields=["language"])
    return user


def _invite(inviter, team) -> Invitation:
    return services.invitation_create(
        invited_by=inviter,
        request=InvitationRequest(
            email="nuevo@example.com",
            full_name="Nuevo Rep",
            team=team,
            role=Invitation.Role.REP,
            start_date=None,
        ),
    )


def test_the_invitation_e_mail_goes_out_in_the_inviters_language(
    org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(_speaking(org.east_manager, "es"), org.east)

    (message,) = mail.outbox
    assert message.subject.startswith("Ed East te ha invitado a ")
    assert "Hola, Nuevo Rep:" in message.body
    assert re.search(r"el enlace funciona durante \d+ días", message.body)
    assert "Si no esperabas este correo, puedes ignorarlo." in message.body


def test_the_invitation_form_speaks_bengali_with_a_plural(client, org):
    client.force_login(_speaking(org.east_manager, "bn"))

    page = client.get(reverse("invitation_new")).text

    assert "<h1>কাউকে আমন্ত্রণ জানান</h1>" in page
    assert re.search(r"লিংকটি \d+ দিন কাজ করবে", page)
    assert "একটি দল বেছে নিন" in page  # the team field's empty choice
    assert "সেলস প্রতিনিধি (দলের সদস্য)" in page  # a role's label


def test_a_refused_invitation_and_the_sent_message_are_in_spanish(client, org):
    client.force_login(_speaking(org.east_manager, "es"))
    form = {
        "email": org.rep_east.email,
        "full_name": "Otra Persona",
        "team": org.east.pk,
        "role": "rep",
        "next": "/",
    }

    refused = client.post(reverse("invitation_new"), form).text
    form["email"] = "otra@example.com"
    client.post(reverse("invitation_new"), form)

    assert f"{org.rep_east.email} ya tiene una cuenta." in refused
    assert "Invitación enviada a otra@example.com." in client.get("/").text


def test_the_accept_page_refuses_different_passwords_in_bengali(client, org):
    invitation = _invite(org.east_manager, org.east)

    page = client.post(
        reverse("invitation_accept", args=[invitation.token]),
        {
            "full_name": "Nuevo Rep",
            "time_zone": "Asia/Dhaka",
            "password1": "a-long-enough-password-1",
            "password2": "a-long-enough-password-2",
        },
        headers={"accept_language": "bn"},
    ).text

    assert "Onramp-এ স্বাগতম" in page
    assert "দুটি পাসওয়ার্ড মেলেনি।" in page


def test_the_not_found_page_follows_the_visitors_language(client, org):
    client.force_login(_speaking(org.rep_east, "es"))

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "No hemos encontrado esa página" in response.text
