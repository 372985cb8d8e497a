"""xAPI: learners' actions as statements to the organisation's learning record store.

`service` queues and sends them (through the outbox that mail uses), `statements` builds
them, `hooks` says which actions make them, `lrs` speaks to the store. Connected when the app
is built (init_app); off unless LMS_XAPI_ENDPOINT is set. docs/xapi.md says what is sent.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    from lms.xapi import hooks  # noqa: F401  (connects the receivers and registers the delivery)
