"""How pages leave the app: kept by the browser, revalidated, and compressed cheaply.

- A page is `Cache-Control: private, no-cache` with a weak ETag: only the person's own
  browser keeps it, and asks each time whether it changed. A reload of an unchanged page
  is then a 304 with no body, which matters on slow networks.
- The ETag is a hash of the page with its one-time values left out: the CSRF token, and
  the submission keys of its forms, which all begin with the request's nonce
  (`page_nonce`). So two renderings of the same page have the same ETag, and a page
  whose content changed in any way has another. A browser that gets a 304 keeps a copy
  whose keys it has not used (it would have changed the page if it had) and whose CSRF
  token is the session's, valid as long as the session.
- Pages are gzipped at level 1: on a 120 KB page it costs a fifth of level 5 and the
  result is a few per cent larger. A reverse proxy can take the work instead (README).
  Pages carry a CSRF token, and compressing secrets beside reflected input is what BREACH
  measures: the session cookie is SameSite=Lax, and each page's gzip header gets a
  random-length file name ("Heal the BREACH", as Django does), so its length no longer
  tells an observer what the page holds.
"""

from __future__ import annotations

import gzip
import hashlib
import secrets
import string

from flask import Flask, Response, g, request

LEVEL = 1
MIN_SIZE = 1024  # below this gzip saves less than its own overhead

COMPRESSIBLE = {
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "image/svg+xml",
    "application/json",
    "text/plain",
}


def page_nonce() -> str:
    """This rendering's random value, which every one-time key on the page begins with."""
    if "page_nonce" not in g:
        g.page_nonce = secrets.token_hex(12)
    return g.page_nonce


def one_time_key(name: str | None = None) -> str:
    """A key new on every rendering of a page and distinct on it (a form's submission key):
    `<nonce>-<name>` for a form the page has once, else numbered. Reply forms use
    `<nonce>-<comment id>`."""
    if name is None:
        g.one_time_keys = g.get("one_time_keys", 0) + 1
        name = f"k{g.one_time_keys}"
    return f"{page_nonce()}-{name}"


def page_etag(body: bytes) -> str:
    """The page's version: its bytes without the CSRF token and the one-time keys."""
    for value in (g.get("csrf_token"), g.get("page_nonce")):
        if value:
            body = body.replace(value.encode(), b"")
    return hashlib.blake2b(body, digest_size=16).hexdigest()


def _revalidate(response: Response) -> Response:
    """A page the browser keeps for this person only, answered 304 when unchanged."""
    if (
        request.method not in ("GET", "HEAD")
        or response.status_code != 200
        or response.mimetype != "text/html"
        or response.is_streamed
    ):
        return response
    response.cache_control.private = True
    response.cache_control.no_cache = True
    response.set_etag(page_etag(response.get_data()), weak=True)
    return response.make_conditional(request)


def compressible(response: Response) -> bool:
    return (
        response.status_code == 200
        and response.mimetype in COMPRESSIBLE
        and "gzip" in request.accept_encodings
        and "Content-Encoding" not in response.headers
    )


def compress(response: Response) -> Response:
    """gzip a page for a browser that accepts it (static files are compressed by lms.assets)."""
    if not compressible(response) or response.is_streamed or response.direct_passthrough:
        return response
    data = response.get_data()
    if len(data) < MIN_SIZE:
        return response
    response.vary.add("Accept-Encoding")
    response.set_data(padded_gzip(data))
    response.headers["Content-Encoding"] = "gzip"
    return response


def padded_gzip(data: bytes, most: int = 100) -> bytes:
    """gzip with a random file name of 1 to `most` letters in its header: the same page
    compresses to a different length each time, which BREACH's length guessing needs not to."""
    body = gzip.compress(data, LEVEL, mtime=0)
    header = bytearray(body[:10])
    header[3] |= gzip.FNAME
    name = "".join(secrets.choice(string.ascii_letters) for _ in range(secrets.randbelow(most) + 1))
    return bytes(header) + name.encode() + b"\0" + body[10:]


def init_app(app: Flask) -> None:
    # after_request functions run last-registered first: revalidate, then compress.
    app.after_request(compress)
    app.after_request(_revalidate)
