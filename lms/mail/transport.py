"""Where delivered mail goes: an SMTP server named by LMS_MAIL_URL, or, with none set,
`.eml` files in a folder (LMS_MAIL_DIR) that a person trying the platform can open."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lms.db import utcnow
from lms.mail.outbox import PermanentFailure

SCHEMES = ("smtp", "smtp+starttls", "smtps")
TIMEOUT = 30  # seconds: a hung server must not hold the delivery loop for ever


class SmtpTransport:
    def __init__(self, url: str):
        parts = urlsplit(url)
        if parts.scheme not in SCHEMES:
            raise ValueError(f"LMS_MAIL_URL must start with one of {', '.join(s + '://' for s in SCHEMES)}")
        self.scheme = parts.scheme
        self.host = parts.hostname or "localhost"
        self.port = parts.port or {"smtp": 25, "smtp+starttls": 587, "smtps": 465}[parts.scheme]
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None

    def send(self, message: EmailMessage) -> None:
        context = ssl.create_default_context()
        if self.scheme == "smtps":
            connection = smtplib.SMTP_SSL(self.host, self.port, timeout=TIMEOUT, context=context)
        else:
            connection = smtplib.SMTP(self.host, self.port, timeout=TIMEOUT)
        with connection as smtp:
            if self.scheme == "smtp+starttls":
                smtp.starttls(context=context)
            if self.username:
                smtp.login(self.username, self.password or "")
            try:
                smtp.send_message(message)
            except smtplib.SMTPRecipientsRefused as error:
                raise PermanentFailure(f"recipient refused: {error.recipients}") from error
            except smtplib.SMTPResponseException as error:
                if error.smtp_code >= 500:
                    raise PermanentFailure(f"{error.smtp_code} {error.smtp_error!r}") from error
                raise


class FileTransport:
    """Each message as `<time>-<id>.eml`: what `make run` uses, so mail can be read without a server."""

    def __init__(self, folder: Path):
        self.folder = folder

    def send(self, message: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        unique = message["Message-ID"].strip("<>").split("@")[0]
        (self.folder / f"{utcnow():%Y%m%d-%H%M%S}-{unique}.eml").write_bytes(bytes(message))


def transport_for(config: dict):
    if config.get("LMS_MAIL_URL"):
        return SmtpTransport(config["LMS_MAIL_URL"])
    return FileTransport(Path(config["LMS_MAIL_DIR"]))
