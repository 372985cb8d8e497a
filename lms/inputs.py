"""One guard for what arrives from outside, before any view sees it.

- Text: a NUL character is refused with a page that says so (PostgreSQL cannot store it,
  and no keyboard types it); the other C0 control characters are removed from every
  query-string and form value, keeping tab, CR and LF for multi-line text.
- Whole numbers: `<int:...>` in a route is `IdConverter`, which matches only numbers an id
  column can hold (PostgreSQL INTEGER), so a larger one is a 404 like any missing row.
  Numbers in query strings are read with `query_int`, which gives the same 404.
- Header values: a redirect whose target holds CR, LF or another control character is
  refused with a 400 instead of failing inside Werkzeug as a server error.

Imports no feature: every feature may use it.
"""

from __future__ import annotations

import re

from flask import Flask, abort, make_response, render_template, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # ids (and counts) are INTEGER on PostgreSQL

_NUL = "\x00"
_CONTROLS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f]")  # C0 but tab, LF and CR
_HEADER_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


def without_controls(text: str) -> str:
    """The text without C0 control characters other than tab, LF and CR."""
    return _CONTROLS.sub("", text) if _CONTROLS.search(text) else text


def header_safe(value: str) -> bool:
    """Whether the value can go in a response header as it is (no CR, LF or other controls)."""
    return not _HEADER_UNSAFE.search(value)


class IdConverter(IntegerConverter):
    """`<int:name>` in every route: ASCII digits for a number from 0 to `MAX_ID`, else 404.

    Registered under the name `int`, so every route (and every route added later) has it.
    """

    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def parse_int(text: str | None, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """The whole number written in `text` if it lies in [minimum, maximum], else None."""
    text = (text or "").strip()
    if not _is_number(text) or len(text) > 21:  # int() of thousands of digits is slow, then refused
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


def query_int(name: str, default: int | None = None, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """A whole number from the query string (`?page=`, `?before=`).

    Missing, empty or not a number: `default` (as `request.args.get(type=int)` did).
    A number outside [minimum, maximum]: 404, the answer for a page that does not exist.
    """
    text = request.args.get(name, "").strip()
    if not _is_number(text):
        return default
    number = parse_int(text, minimum, maximum)
    if number is None:
        abort(404)
    return number


def _is_number(text: str) -> bool:
    digits = text[1:] if text[:1] in "+-" else text
    return bool(digits) and digits.isascii() and digits.isdigit()


def _refuse_nul():
    abort(make_response(render_template("errors/unsafe_input.html"), 400))


def _cleaned(values: ImmutableMultiDict) -> ImmutableMultiDict:
    for key, value in values.items(multi=True):
        if _NUL in key or _NUL in value:
            _refuse_nul()
    if not any(_CONTROLS.search(value) for value in values.values()):
        return values
    return ImmutableMultiDict([(key, without_controls(value)) for key, value in values.items(multi=True)])


def guard_request() -> None:
    """Refuse NUL and drop other control characters in the query string, form and path."""
    for value in (request.view_args or {}).values():
        if isinstance(value, str) and _NUL in value:
            abort(404)  # nothing is named with a NUL
    # Werkzeug keeps parsed values in the request's __dict__ (cached properties): replace them there.
    request.__dict__["args"] = _cleaned(request.args)
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        request.__dict__["form"] = _cleaned(request.form)
    request.__dict__.pop("values", None)  # built from args and form: built again from the clean ones


class _GuardedRedirects:
    """Flask's `redirect` for this app: a target with CR or LF is refused, not a server error."""

    def __init__(self, app: Flask):
        self.redirect = app.redirect

    def __call__(self, location: str, code: int = 302):
        if not header_safe(location):
            raise BadRequest("The address to go to next holds characters a web address cannot have.")
        return self.redirect(location, code)


def install_converters(app: Flask) -> None:
    """Before any route is added: `<int:...>` is `IdConverter` everywhere."""
    app.url_map.converters["int"] = IdConverter


def init_app(app: Flask) -> None:
    app.before_request(guard_request)
    app.redirect = _GuardedRedirects(app)
