"""lms.lib.mime.PlainAndHtmlEmail builds its MIME message from prototype parts:
what a mail server receives must be what Django's EmailMultiAlternatives makes,
byte for byte, for every kind of text and header."""

from __future__ import annotations

import pytest
from django.core.mail import EmailMultiAlternatives
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.lib.mime import PlainAndHtmlEmail

BENGALI = "হ্যালো রেপ, আপনার পরবর্তী পাঠ ৩ ডিসেম্বর।"
LONG_LINE = "x" * 999
HTML = (
    '<!doctype html>\n<html lang="en"><body><p>Hi &amp; "you"</p>\n'
    '<a href="https://x.example/go/abc:def?a=1&amp;b=2">Open</a></body></html>\n'
)


def _wire(email: EmailMultiAlternatives) -> bytes:
    """The message as the SMTP backend sends it, its random parts made fixed."""
    message = email.message()
    assert message["Date"] and message["Message-ID"]
    del message["Date"]
    del message["Message-ID"]
    for number, part in enumerate(message.walk()):
        if part.is_multipart():
            part.set_boundary(f"===boundary{number}==")
    return message.as_bytes(linesep="\r\n")


def _made(cls, *, alternatives=(), attachments=(), **fields) -> bytes:
    email = cls(**fields)
    for content, mimetype in alternatives:
        email.attach_alternative(content, mimetype)
    for attachment in attachments:
        email.attach(*attachment)
    return _wire(email)


def _both(**fields) -> tuple[bytes, bytes]:
    return _made(EmailMultiAlternatives, **fields), _made(PlainAndHtmlEmail, **fields)


UNSUBSCRIBE = {
    "List-Unsubscribe": "<https://learn.example/u/WzEsInNlcXVlbmNlIl0:1v:abc/>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
}


@pytest.mark.parametrize(
    ("subject", "body", "html"),
    [
        ("Hi Rae", "Hi Rae,\n\nYour next lesson.", HTML),
        ("Hola Raúl: lección «Preguntas»", "Hola Raúl,\n\nTu lección.", HTML),
        (BENGALI, BENGALI + "\n\n" + BENGALI, f"<p>{BENGALI}</p>"),
        ("ascii subject " * 12, "Plain ascii\r\nwith CRLF\rand CR", "<p>é</p>"),
        ("Long line", LONG_LINE, HTML),
        ("Long html line", "short", "<p>" + "é" * 400 + "</p>"),
        ("No text part", "", HTML),
        ("Empty html", "Body", ""),
    ],
)
def test_it_makes_the_message_djangos_class_makes(subject, body, html):
    expected, made = _both(
        subject=subject,
        body=body,
        from_email="Onramp <noreply@onramp.example>",
        to=["rae@example.com"],
        headers=UNSUBSCRIBE,
        alternatives=[(html, "text/html")],
    )

    assert made == expected


def test_it_makes_the_same_headers_and_single_parts_as_djangos_class():
    expected, made = _both(
        subject="Ünïcode",
        body="Só texto",
        from_email="noreply@onramp.example",
        to=["a@example.com", "Bé <b@example.com>"],
        cc=["c@example.com"],
        reply_to=["r@example.com"],
        headers={"From": "Other <other@example.com>", "X-Kind": "notice"},
    )

    assert made == expected
    assert b"Content-Transfer-Encoding: 8bit" in made


def test_what_it_does_not_prepare_is_built_by_django():
    expected, made = _both(
        subject="With a file",
        body="See the file.",
        from_email="noreply@onramp.example",
        to=["a@example.com"],
        alternatives=[("<p>See</p>", "text/html")],
        attachments=[("notes.txt", "Notes é", "text/plain")],
    )

    assert made == expected


def test_its_parts_do_not_share_headers_or_payloads():
    first = PlainAndHtmlEmail(subject="1", body="one", to=["a@example.com"]).message()
    second = PlainAndHtmlEmail(subject="2", body="two", to=["b@example.com"]).message()
    first["X-Extra"] = "only the first"

    assert second["X-Extra"] is None
    assert (first.get_payload(), second.get_payload()) == ("one", "two")


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.characters(min_codepoint=1, max_codepoint=0x7F), max_size=90
    ).filter(lambda subject: "\n" not in subject and "\r" not in subject)
)
def test_every_ascii_subject_is_written_as_django_writes_it(subject):
    # Short printable ones are set as they are; the rest go through Header,
    # which refuses some (a vertical tab, say, that reads as a line break).
    fields = {"subject": subject, "body": "B", "to": ["a@b.example"]}
    try:
        expected = _made(EmailMultiAlternatives, **fields)
    except Exception as refused:  # noqa: BLE001 (the same must be refused)
        with pytest.raises(type(refused)):
            _made(PlainAndHtmlEmail, **fields)
        return

    assert _made(PlainAndHtmlEmail, **fields) == expected
