"""Security headers on every response, safe redirects, and the checks a deployment must pass.
Imports no feature: every feature may use it."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, make_response, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from lms import unsent
from lms.errors import DomainError

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def keeps_input(view):
    """Mark a form view to be shown again, with what was typed, when its CSRF token fails.

    The view must validate its form before doing anything: run again, the form fails on
    its token and re-renders with a clear message, so nobody loses what they wrote.
    """
    view.keeps_input = True
    return view


NEXT_MOST = 2000
_UNSAFE_IN_NEXT = re.compile(r"[\x00-\x1f\x7f\\]")  # controls (CR/LF would break the header), backslashes


def safe_next(target: str | None, default: str) -> str:
    """Only follow a `next` that stays on this site: a path, not a scheme or host, and nothing
    a browser would read differently (it drops tabs and newlines, so "/<tab>/evil" is "//evil")."""
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//"):
        return default
    if len(target) > NEXT_MOST or _UNSAFE_IN_NEXT.search(target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def _csrf_failed(error: CSRFError):
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "unsent_box", None) and not current_user.is_authenticated:
        # Signed out elsewhere (which also ends the session and its token): keep the text.
        return unsent.signed_out()
    if getattr(view, "keeps_input", False):
        try:
            response = make_response(view(**(request.view_args or {})))
        except (HTTPException, DomainError) as refused:  # the view refuses anyway (gone, not theirs): say that
            return current_app.handle_user_exception(refused)
        response.status_code = 400
        return response
    return render_template("errors/csrf.html"), 400


KNOWN_DEFAULT_KEYS = {
    "dev",
    "development",
    "secret",
    "secret-key",
    "changeme",
    "change-me",
    "change me",
    "please-change-me",
    "test",
    "testing",
    "test secret key, not for production",
    "x",
}


def deployment_problems(config: dict, workers: int = 1) -> list[str]:
    """What is unsafe in this configuration for production, in the spirit of Django's
    `check --deploy`. An empty list means nothing was found."""
    problems = []
    key = config.get("SECRET_KEY") or ""
    if key.lower() in KNOWN_DEFAULT_KEYS or len(key) < 32:
        problems.append("LMS_SECRET_KEY is a known default or too short: use 32+ random characters")
    if not config.get("LMS_SECRET_KEY_FROM_ENV"):
        problems.append("LMS_SECRET_KEY is not set: every server must share one secret key")
    if config.get("DEBUG"):
        problems.append("debug mode is on: it shows code and data to anyone who causes an error")
    if config.get("LMS_ENV") != "production":
        problems.append("LMS_ENV is not 'production': cookies are not marked Secure and HSTS is off")
    for name in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY"):
        if not config.get(name):
            problems.append(f"{name} is off: cookies can travel without HTTPS or be read by scripts")
    database = str(config.get("SQLALCHEMY_DATABASE_URI", ""))
    if database.startswith("sqlite") and workers > 1:
        problems.append(f"SQLite with {workers} workers: use PostgreSQL (LMS_DATABASE_URL) for several workers")
    if not str(config.get("LMS_BASE_URL", "")).startswith("https://"):
        problems.append("LMS_BASE_URL is not an https:// address: links in mail must reach the site securely")
    if not config.get("LMS_MAIL_URL"):
        problems.append("LMS_MAIL_URL is not set: mail is written to files, not sent")
    elif str(config.get("LMS_MAIL_FROM", "")).endswith("@localhost"):
        problems.append("LMS_MAIL_FROM is not set: mail would come from an address on localhost")
    endpoint = str(config.get("LMS_XAPI_ENDPOINT") or "")
    if endpoint and not endpoint.startswith("https://"):
        problems.append(
            "LMS_XAPI_ENDPOINT is not an https:// address: learners' records and the key would travel unencrypted"
        )
    if endpoint and not (config.get("LMS_XAPI_KEY") and config.get("LMS_XAPI_SECRET")):
        problems.append(
            "LMS_XAPI_KEY or LMS_XAPI_SECRET is not set: the learning record store will refuse the statements"
        )
    if not config.get("RATELIMIT_ENABLED"):
        problems.append("rate limiting is off (LMS_RATELIMIT_ENABLED): sign-in can be guessed at speed")
    elif str(config.get("RATELIMIT_STORAGE_URI", "")).startswith("memory") and workers > 1:
        problems.append("rate limits are counted in memory: with several workers use Redis (LMS_RATELIMIT_STORAGE_URL)")
    return problems


def refuse_known_secret_key(config: dict) -> None:
    """Production never starts with a secret key anyone could know."""
    if config.get("LMS_ENV") == "production" and (config.get("SECRET_KEY") or "").lower() in KNOWN_DEFAULT_KEYS:
        raise RuntimeError("LMS_SECRET_KEY is a known default: set a long random value before running in production")


def refuse_to_serve_without_base_url(app: Flask) -> None:
    """Production never builds a link in mail from a visitor's Host header: without its public
    address it answers no request (commands such as `db upgrade` still run)."""
    if app.config.get("LMS_ENV") != "production" or app.config.get("LMS_BASE_URL"):
        return

    @app.before_request
    def refuse():
        raise RuntimeError(
            "LMS_BASE_URL is not set: set it to the site's public address, such as https://learn.example.org"
        )


def init_app(app: Flask) -> None:
    refuse_known_secret_key(app.config)
    refuse_to_serve_without_base_url(app)
    proxies = app.config.get("LMS_TRUSTED_PROXIES", 0)
    if proxies:  # the client's address and scheme as the proxy saw them (rate limits, Secure cookies)
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    app.register_error_handler(CSRFError, _csrf_failed)
    hsts = app.config["LMS_ENV"] == "production"

    @app.after_request
    def set_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        if "frame-ancestors 'none'" in headers["Content-Security-Policy"]:  # a page that may be framed says so
            headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if hsts:
            headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        return response
