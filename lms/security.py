"""Security headers on every response. Imports no feature."""
from __future__ import annotations

from flask import Flask, Response, current_app, make_response, render_template, request
from flask_wtf.csrf import CSRFError

CSP = "; ".join([
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
])


def keeps_input(view):
    """Mark a form view to be shown again, with what was typed, when its CSRF token fails.

    The view must validate its form before doing anything: run again, the form fails on
    its token and re-renders with a clear message, so nobody loses what they wrote.
    """
    view.keeps_input = True
    return view


def _csrf_failed(error: CSRFError):
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "keeps_input", False):
        response = make_response(view(**(request.view_args or {})))
        response.status_code = 400
        return response
    return render_template("errors/csrf.html"), 400


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_failed)
    hsts = app.config["LMS_ENV"] == "production"

    @app.after_request
    def set_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if hsts:
            headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        return response
