"""The learning record store's Statement API: POST a batch, with Basic auth and the xAPI
version header. Standard library only; a hung store times out rather than holding the loop."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request

from lms.mail.outbox import PermanentFailure
from lms.xapi.statements import VERSION

TIMEOUT = 30  # seconds


class Conflict(PermanentFailure):
    """A batch held a statement the store already has with other content: it took none of
    the batch (the POST is atomic), so each must go on its own."""


class LrsClient:
    def __init__(self, endpoint: str, key: str, secret: str):
        self.url = endpoint.rstrip("/") + "/statements"
        self.auth = "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()

    def post(self, statements: list[dict]) -> None:
        """Store the statements. 2xx is done, and so is 409 for a single statement (the store
        holds one with its id already: statements never change, so nothing is left to send);
        another 4xx is a refusal retrying will not change (PermanentFailure, except 408 and
        429); anything else (5xx, no answer) is worth retrying."""
        request = urllib.request.Request(
            self.url,
            data=json.dumps(statements).encode(),
            method="POST",
            headers={
                "Authorization": self.auth,
                "Content-Type": "application/json",
                "X-Experience-API-Version": VERSION,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                response.read()
        except urllib.error.HTTPError as error:
            detail = error.read()[:300].decode(errors="replace")
            if error.code == 409:
                if len(statements) == 1:
                    return
                raise Conflict(detail) from None
            if 400 <= error.code < 500 and error.code not in (408, 429):
                raise PermanentFailure(f"{error.code} {detail}") from None
            raise ConnectionError(f"{error.code} {detail}") from None


def client_for(config: dict) -> LrsClient:
    return LrsClient(config["LMS_XAPI_ENDPOINT"], config.get("LMS_XAPI_KEY", ""), config.get("LMS_XAPI_SECRET", ""))
