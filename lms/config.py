"""Settings: safe defaults, overridden by LMS_* environment variables.

`load_config()` returns a plain dict of Flask config keys; `create_app(config)` lays a
test's dict over it. Types are parsed explicitly, never guessed from strings.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def _home() -> Path:
    """Where templates/, static/, migrations/, content/ and node_modules/ are: LMS_HOME, else
    the checkout the package sits in, else the working directory (an installed package run
    from its checkout)."""
    if os.environ.get("LMS_HOME"):
        return Path(os.environ["LMS_HOME"]).resolve()
    beside = Path(__file__).resolve().parent.parent
    return beside if (beside / "templates").is_dir() else Path.cwd()


ROOT = _home()
ENVIRONMENTS = ("development", "production", "testing")
# The lawful bases (UK GDPR Article 6(1)) the privacy notice can name; the organisation
# running the platform chooses, and an empty setting says it is theirs to confirm.
LAWFUL_BASES = ("", "public-task", "legitimate-interests", "contract")
# How learners are named to the learning record store: an opaque account id, or (only if the
# organisation chooses it) their email address.
XAPI_ACTORS = ("account", "mbox")


def _flag(value: str) -> bool:
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"expected true or false, got {value!r}")


def _secret_key(instance: Path) -> str:
    """Read the key stored in instance/, creating it on first use (development only)."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def load_config(environ: dict[str, str] | None = None, instance: Path | None = None) -> dict:
    env = os.environ if environ is None else environ
    instance = instance or ROOT / "instance"
    mode = env.get("LMS_ENV", "production")
    if mode not in ENVIRONMENTS:
        raise ValueError(f"LMS_ENV must be one of {', '.join(ENVIRONMENTS)}")
    secure = mode == "production"
    xapi_actor = env.get("LMS_XAPI_ACTOR", "account").strip().lower() or "account"
    if xapi_actor not in XAPI_ACTORS:
        raise ValueError(f"LMS_XAPI_ACTOR must be one of {', '.join(XAPI_ACTORS)}")
    lawful_basis = env.get("LMS_PRIVACY_LAWFUL_BASIS", "").strip().lower()
    if lawful_basis not in LAWFUL_BASES:
        raise ValueError(f"LMS_PRIVACY_LAWFUL_BASIS must be one of {', '.join(LAWFUL_BASES[1:])}, or empty")
    return {
        "LMS_ENV": mode,
        "SECRET_KEY": env.get("LMS_SECRET_KEY") or _secret_key(instance),
        "LMS_SECRET_KEY_FROM_ENV": bool(env.get("LMS_SECRET_KEY")),
        "SQLALCHEMY_DATABASE_URI": env.get("LMS_DATABASE_URL", f"sqlite:///{instance / 'lms.sqlite'}"),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "LMS_CONTENT_DIR": env.get("LMS_CONTENT_DIR", str(ROOT / "content")),
        "LMS_ORGANISATION_NAME": env.get("LMS_ORGANISATION_NAME", "Health and Care Leadership"),
        "LMS_STALLED_DAYS": int(env.get("LMS_STALLED_DAYS", "14")),
        "LMS_CONTACT_EMAIL": env.get("LMS_CONTACT_EMAIL", ""),
        # Whom people ask about their data (an email address, a web address or words such as
        # "the Data Protection Officer, ..."); empty falls back to LMS_CONTACT_EMAIL.
        "LMS_PRIVACY_CONTACT": env.get("LMS_PRIVACY_CONTACT", "").strip(),
        "LMS_PRIVACY_LAWFUL_BASIS": lawful_basis,
        # The address people use to reach the site: links in mail are built on it, never
        # on a request's Host header. Production refuses to start without it.
        "LMS_BASE_URL": env.get("LMS_BASE_URL", "" if secure else "http://127.0.0.1:5000").rstrip("/"),
        # SMTP (smtp://, smtp+starttls://user:pass@host:587, smtps://); unset writes .eml files.
        "LMS_MAIL_URL": env.get("LMS_MAIL_URL", ""),
        "LMS_MAIL_FROM": env.get("LMS_MAIL_FROM", "no-reply@localhost"),
        "LMS_MAIL_DIR": env.get("LMS_MAIL_DIR", str(instance / "mail")),
        # xAPI statements to a learning record store (docs/xapi.md): off while the endpoint is unset.
        "LMS_XAPI_ENDPOINT": env.get("LMS_XAPI_ENDPOINT", "").strip(),
        "LMS_XAPI_KEY": env.get("LMS_XAPI_KEY", ""),
        "LMS_XAPI_SECRET": env.get("LMS_XAPI_SECRET", ""),
        "LMS_XAPI_HOMEPAGE": env.get(
            "LMS_XAPI_HOMEPAGE", ""
        ).strip(),  # the actors' account homePage; else LMS_BASE_URL
        "LMS_XAPI_ACTOR": xapi_actor,
        "LMS_SESSION_IDLE_HOURS": float(env.get("LMS_SESSION_IDLE_HOURS", "12")),
        "LMS_SESSION_MAX_DAYS": float(env.get("LMS_SESSION_MAX_DAYS", "30")),
        # Single sign-on with OpenID Connect: off unless the issuer and client id are set.
        "LMS_OIDC_ISSUER": env.get("LMS_OIDC_ISSUER", "").strip(),  # exactly as the provider names itself
        "LMS_OIDC_CLIENT_ID": env.get("LMS_OIDC_CLIENT_ID", "").strip(),
        "LMS_OIDC_CLIENT_SECRET": env.get("LMS_OIDC_CLIENT_SECRET", ""),
        "LMS_OIDC_BUTTON": env.get("LMS_OIDC_BUTTON", "").strip() or "Sign in with your organisation",
        "RATELIMIT_STORAGE_URI": env.get("LMS_RATELIMIT_STORAGE_URL", "memory://"),
        "RATELIMIT_ENABLED": _flag(env.get("LMS_RATELIMIT_ENABLED", "true")),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Behind a reverse proxy, how many of them to trust for the client's address
        # (X-Forwarded-For): without it every learner has the proxy's address and shares
        # one sign-in limit. 0 (the default) ignores the header, so nobody can forge it.
        "LMS_TRUSTED_PROXIES": int(env.get("LMS_TRUSTED_PROXIES", "0")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_DURATION": 60 * 60 * 24 * 30,
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 12,
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "MAX_CONTENT_LENGTH": 1024 * 1024,
    }
