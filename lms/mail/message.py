"""Build a MIME message from an outbox row: plain text and HTML alternatives, headers set
through the standard library, which refuses CR/LF in a header value (no header injection)."""

from __future__ import annotations

from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from lms.db import utcnow


def one_line(value: str, most: int = 200) -> str:
    """A header-safe version of text a person chose (a name, a subject): one line, bounded."""
    return " ".join("".join(c if c.isprintable() else " " for c in value).split())[:most]


def address(email: str, name: str | None = None) -> Address:
    username, _, domain = email.rpartition("@")
    return Address(display_name=one_line(name or "", 80), username=username, domain=domain)


def build(
    *, sender: Address, recipient: Address, subject: str, text: str, html: str, headers: dict | None = None
) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = one_line(subject)
    message["From"] = sender
    message["To"] = recipient
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain=sender.domain or "localhost")
    message["Auto-Submitted"] = "auto-generated"  # out-of-office replies should not answer it
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message
