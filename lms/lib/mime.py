"""`PlainAndHtmlEmail`: Django's EmailMultiAlternatives with the same MIME
message, built for a fraction of the CPU.

A tick of the sequence engine sends thousands of notices, and building each
one's MIME message (`EmailMessage.message()`, called by every mail backend)
cost more than anything else of a message: for each text part Python's e-mail
package writes the Content-Type header, parses it again to set its charset,
decodes the payload to choose 7bit or 8bit and writes that header too. For a
UTF-8 part without lines too long for SMTP the outcome depends only on the
subtype and on whether the text is ASCII, so each such part here is a copy of a
prototype part made once, with the person's text as its payload, and a short
ASCII subject is set as it is rather than encoded to itself. Anything else
(another charset, attachments, a line over 998 bytes, which Django sends
quoted-printable) is built by Django as before.
"""

from __future__ import annotations

import copy
from email.message import Message
from email.mime.base import MIMEBase
from email.utils import formatdate, make_msgid
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import (
    RFC5322_EMAIL_LINE_LENGTH_LIMIT,
    SafeMIMEMultipart,
    SafeMIMEText,
)
from django.core.mail.utils import DNS_NAME

# The longest header value email.header.Header writes on one line.
_UNFOLDED = 76
# A line of this many characters or fewer is within the limit in bytes whatever
# its characters (UTF-8 writes a character in at most four bytes).
_SURELY_SHORT = RFC5322_EMAIL_LINE_LENGTH_LIMIT // 4


class PlainAndHtmlEmail(EmailMultiAlternatives):
    """An EmailMultiAlternatives whose `message()` is what Django's makes, byte
    for byte when serialised (tests/test_mime.py compares them)."""

    def message(self, **options: Any) -> Any:
        # Typed loosely: django-stubs describe a later Django (a `policy`
        # argument, no `alternative_subtype`); 5.2's message() takes nothing.
        django: Any = self
        encoding = self.encoding or settings.DEFAULT_CHARSET
        texts = [self.body] + [content for content, _ in self.alternatives]
        if (
            options
            or encoding != "utf-8"
            or self.attachments
            or not all(isinstance(text, str) and _fits(text) for text in texts)
            or not all(m.startswith("text/") for _, m in self.alternatives)
        ):
            return super().message(**options)
        msg: MIMEBase = _text_part(str(self.body), self.content_subtype)
        if self.alternatives:
            body = msg
            msg = SafeMIMEMultipart(
                _subtype=django.alternative_subtype, encoding=encoding
            )
            if self.body:
                msg.attach(body)
            for content, mimetype in self.alternatives:
                msg.attach(_text_part(str(content), mimetype.split("/", 1)[1]))
        # The headers as Django 5.2's EmailMessage.message() sets them, in its order.
        subject = str(django.subject)
        if len(subject) <= _UNFOLDED and subject.isascii() and subject.isprintable():
            # Django writes every subject through email.header.Header, which
            # leaves one as short as this, of printable ASCII, as it is.
            Message.__setitem__(msg, "Subject", subject)
        else:
            msg["Subject"] = subject
        msg["From"] = self.extra_headers.get("From", self.from_email)
        django._set_list_header_if_not_empty(msg, "To", self.to)
        django._set_list_header_if_not_empty(msg, "Cc", self.cc)
        django._set_list_header_if_not_empty(msg, "Reply-To", self.reply_to)
        header_names = [key.lower() for key in self.extra_headers]
        if "date" not in header_names:
            msg["Date"] = formatdate(localtime=settings.EMAIL_USE_LOCALTIME)
        if "message-id" not in header_names:
            msg["Message-ID"] = make_msgid(domain=DNS_NAME)
        for name, value in self.extra_headers.items():
            if name.lower() not in {"from", "to", "cc", "reply-to"}:
                msg[name] = value
        return msg


def _fits(text: str) -> bool:
    """No line longer than SMTP allows: Django would send it quoted-printable."""
    lines = text.splitlines()
    if max(map(len, lines), default=0) <= _SURELY_SHORT:
        return True
    return all(
        len(line) <= _SURELY_SHORT
        or len(line.encode(errors="surrogateescape")) <= RFC5322_EMAIL_LINE_LENGTH_LIMIT
        for line in lines
    )


def _text_part(text: str, subtype: str) -> SafeMIMEText:
    """`SafeMIMEText(text, subtype, "utf-8")` for a text that `_fits`."""
    prototype = _prototype(subtype, text.isascii())
    part = copy.copy(prototype)
    # The copy's own headers, defects and payload; the rest is shared as it is
    # alike in every part made so (the charset is one object in Django too).
    vars(part).update(
        _headers=list(vars(prototype)["_headers"]),
        defects=[],
        _payload=text.encode("utf-8").decode("ascii", "surrogateescape"),
    )
    return part


@lru_cache(maxsize=16)
def _prototype(subtype: str, ascii_only: bool) -> SafeMIMEText:
    # ASCII text is sent 7bit, any other 8bit: the only difference the text makes.
    return SafeMIMEText("." if ascii_only else "\u00e9", subtype, "utf-8")
