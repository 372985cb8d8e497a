"""Serve the NHS.UK frontend from node_modules (installed by `npm ci`), without a build step;
version static URLs so browsers keep them a year.

- Every `url_for` of a static file gets `?v=` and a hash of the file's contents, so a
  versioned URL never changes meaning: it is served `Cache-Control: public, max-age=1 year,
  immutable`. Unversioned static URLs (what CSS and JS modules refer to themselves) get a day.
- A static file is the same for everyone, so its response carries no session: no
  `Vary: Cookie` (which Flask adds when anything, here Flask-Login's remember-me check, looks
  at the session) and no cookie. With `Vary: Cookie`, a browser asked again for every file
  whenever the session cookie had changed, as it does at sign-in, and a shared cache could
  not share them.
- Static text files are gzipped at the highest level once per file version and kept in
  memory, in a store bounded in bytes (lms.kept), under the file's ETag (its path, size and
  time), so the many spellings of one path (`css/./app.css`) share one copy. Pages are
  compressed by lms.responses.
"""

from __future__ import annotations

import gzip
import hashlib
import posixpath
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Flask, current_app, request
from flask.sessions import SecureCookieSessionInterface

from lms.config import ROOT
from lms.kept import MB, kept_by_app
from lms.responses import MIN_SIZE, compressible

NHSUK_DIST = ROOT / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"

# The stylesheet refers to /assets/images/..., so the assets folder is served there.
nhsuk = Blueprint("nhsuk", __name__, static_folder=str(NHSUK_DIST), static_url_path="/nhsuk")
nhsuk_assets = Blueprint("nhsuk_assets", __name__, static_folder=str(NHSUK_DIST / "assets"), static_url_path="/assets")

YEAR = 365 * 24 * 60 * 60
DAY = 24 * 60 * 60
COMPRESSED = 2 * MB  # the NHS.UK stylesheet and script, ours, and room for a release's new ones


def _is_static(endpoint: str | None) -> bool:
    return bool(endpoint) and (endpoint == "static" or endpoint.endswith(".static"))


def _static_folder(endpoint: str) -> str | None:
    if endpoint == "static":
        return current_app.static_folder
    blueprint = current_app.blueprints.get(endpoint.rsplit(".", 1)[0])
    return blueprint.static_folder if blueprint else None


@lru_cache(maxsize=512)
def _file_version(folder: str, filename: str, mtime_ns: int) -> str:
    return hashlib.sha256((Path(folder) / filename).read_bytes()).hexdigest()[:12]


def version_of(endpoint: str, filename: str) -> str | None:
    """A short hash of the static file's contents. In debug it is recomputed when the file
    changes; otherwise read once per process (a release restarts it), since a page names
    half a dozen static files and looking at each on disk was a thirtieth of a small page."""
    folder = _static_folder(endpoint)
    if not folder:
        return None
    if current_app.debug:
        return _version_now(folder, filename)
    return _version_kept(folder, filename)


def _version_now(folder: str, filename: str) -> str | None:
    try:
        mtime = (Path(folder) / filename).stat().st_mtime_ns
    except OSError:
        return None
    return _file_version(folder, filename, mtime)


@lru_cache(maxsize=512)
def _version_kept(folder: str, filename: str) -> str | None:
    return _version_now(folder, filename)


def _add_version(endpoint: str, values: dict) -> None:
    if _is_static(endpoint) and "filename" in values and "v" not in values:
        version = version_of(endpoint, values["filename"])
        if version:
            values["v"] = version


def _cache_and_compress(response):
    """Static files: kept a year when versioned, a day when not; gzipped once per version."""
    if not _is_static(request.endpoint):
        return response
    if response.status_code in (200, 304):
        filename = posixpath.normpath((request.view_args or {}).get("filename", ""))  # one name per file
        versioned = request.args.get("v") and request.args.get("v") == version_of(request.endpoint, filename)
        response.cache_control.no_cache = None  # send_file's default: it would make every look a round trip
        response.cache_control.public = True
        response.cache_control.max_age = YEAR if versioned else DAY
        response.cache_control.immutable = bool(versioned)
    if not compressible(response):
        return response
    response.vary.add("Accept-Encoding")
    etag, _ = response.get_etag()
    key = etag or posixpath.normpath(request.path)  # send_file's ETag names the file and its version
    compressed = kept_by_app("lms.assets.compressed", COMPRESSED)
    original = response.response  # the open file: closed here whatever happens
    try:
        body = compressed.get(key)
        if body is None:
            response.direct_passthrough = False  # read the file so it can be compressed
            data = response.get_data()
            if len(data) < MIN_SIZE:
                return response
            body = gzip.compress(data, 9, mtime=0)
            compressed.keep(key, body)
    finally:
        if hasattr(original, "close"):
            original.close()
    if etag:
        response.set_etag(etag, weak=True)  # the same resource, another encoding
    response.set_data(body)
    response.headers["Content-Encoding"] = "gzip"
    return response


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, left out of static files' responses (see above)."""

    def save_session(self, app, session, response) -> None:
        if _is_static(request.endpoint):
            return  # nothing on a static request changes the session
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    app.session_interface = SessionInterface()
    app.register_blueprint(nhsuk)
    app.register_blueprint(nhsuk_assets)
    app.url_defaults(_add_version)
    app.after_request(_cache_and_compress)
