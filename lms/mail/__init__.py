"""Mail: messages written to the outbox in the transaction of the action that causes them,
and delivered by a loop (`flask --app lms mail deliver`, or the one `run.py` starts)."""

from flask import Flask


def init_app(app: Flask) -> None:
    from lms.mail.links import external_url

    app.jinja_env.globals["external_url"] = external_url
