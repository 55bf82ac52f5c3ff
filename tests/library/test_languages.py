"""The library in Spanish and Bengali: its pages, and the e-mails in the
recipient's language whoever triggers them."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from library import notices, services


def _speaks(person, language: str) -> None:
    person.language = language
    person.save(update_fields=["language"])


@pytest.mark.parametrize(
    ("language", "heading", "search"),
    [
        ("es", "<h1>Biblioteca</h1>", "Buscar en la biblioteca"),
        ("bn", "<h1>লাইব্রেরি</h1>", "লাইব্রেরিতে খুঁজুন"),
    ],
)
def test_the_library_reads_in_the_reps_language(
    client, org, items, language, heading, search
):
    items.make(title="Pricing one-pager")
    _speaks(org.rep_east, language)
    client.force_login(org.rep_east)

    page = client.get(reverse("library_home")).text

    assert f'<html lang="{language}"' in page
    assert heading in page
    assert search in page
    assert "Search the library" not in page


def test_an_item_page_reads_in_spanish(client, org, items):
    item = items.make(title="Pricing one-pager", shareable=True)
    _speaks(org.rep_east, "es")
    client.force_login(org.rep_east)

    page = client.get(reverse("library_item", args=[item.pk])).text

    assert "Marcar como desactualizado" in page  # Flag as outdated
    assert "Compartir con un cliente potencial" in page  # Share with a prospect
    assert "Nombre del cliente potencial" in page  # the share form's label
    assert "/jsi18n/" in page  # the copy button's texts


def test_a_flag_emails_the_owner_in_their_language(
    org, items, mailoutbox, django_capture_on_commit_callbacks
):
    item = items.make(title="Pricing one-pager")
    _speaks(item.owner, "bn")
    with (
        translation.override("es"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.item_flag(item=item, by=org.rep_east, reason="wrong_pricing", note="")

    (message,) = mailoutbox
    assert message.subject == "“Pricing one-pager” পুরোনো হিসেবে ফ্ল্যাগ করা হয়েছে"
    assert "ভুল মূল্য" in message.body  # the reason, a translated choice
    ((html, _),) = message.alternatives
    assert "ফ্ল্যাগের তালিকা খুলুন" in html  # the button


def test_a_refusal_reads_in_the_persons_language(org, items):
    item = items.make(title="Pricing one-pager", shareable=False)

    with translation.override("es"), pytest.raises(services.LibraryRefused) as refusal:
        services.share_link_create(
            item=item,
            rep=org.rep_east,
            prospect_name="Ana",
            prospect_email="ana@example.com",
            prospect_company="Globex",
        )

    assert str(refusal.value) == (
        "Este elemento no se puede compartir fuera de la empresa."
    )


def test_the_owner_digest_counts_in_spanish(org, items, mailoutbox, time_machine):
    time_machine.move_to("2026-03-02 09:00Z", tick=False)
    item = items.make(title="Pricing one-pager")
    _speaks(item.owner, "es")
    services.item_flag(item=item, by=org.rep_east, reason="broken_link", note="")
    mailoutbox.clear()

    assert notices.owner_digests_send() == 1

    (message,) = mailoutbox
    assert message.subject.startswith(
        "Tus elementos de la biblioteca esta semana: 1 aviso, "
    )
