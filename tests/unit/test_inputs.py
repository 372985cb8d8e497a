"""The input guard's pure parts (lms.inputs): numbers, control characters, header values."""

from __future__ import annotations

import pytest
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import Headers
from werkzeug.exceptions import NotFound

from lms.inputs import MAX_ID, IdConverter, header_safe, install_converters, parse_int, without_controls


@pytest.mark.parametrize(
    "text, number",
    [("1", 1), (" 42 ", 42), ("+7", 7), (str(MAX_ID), MAX_ID), ("0", 0)],
)
def test_a_number_in_range_is_read(text, number):
    assert parse_int(text) == number


@pytest.mark.parametrize(
    "text",
    ["", None, "-1", str(MAX_ID + 1), "9" * 20, "9" * 5000, "1e3", "1.0", "0x10", "١٢", "²", "--1", "1 2", "+"],
)
def test_anything_else_is_not(text):
    assert parse_int(text) is None


@given(st.text())
def test_parse_int_never_raises(text):
    number = parse_int(text, minimum=-(2**63), maximum=2**63 - 1)
    assert number is None or str(number) == str(int(text.strip()))


def test_without_controls_keeps_tab_and_line_breaks():
    assert without_controls("a\x01b\x1b[0m\tc\r\nd\x7f\x85") == "ab[0m\tc\r\nd\x7f\x85"


@given(st.text())
def test_without_controls_leaves_no_c0_but_whitespace(text):
    assert all(ch in "\t\r\n" or ord(ch) >= 0x20 or ch == "\x00" for ch in without_controls(text))


@pytest.mark.parametrize("value, safe", [("/todo", True), ("/todo\r\nX: y", False), ("a\nb", False), ("a\x00", False)])
def test_header_safe(value, safe):
    assert header_safe(value) is safe


def test_werkzeug_itself_refuses_a_line_break_in_a_header():
    """Why the app checks first: Werkzeug raises, which would be a server error."""
    with pytest.raises(ValueError):
        Headers()["Content-Disposition"] = 'attachment; filename="a\r\nb"'


def routes():
    app = Flask(__name__)
    install_converters(app)

    @app.get("/things/<int:thing_id>")
    def thing(thing_id):
        return str(thing_id)

    return app.url_map.bind("localhost")


@pytest.mark.parametrize("number", ["1", "0", str(MAX_ID)])
def test_an_id_route_takes_any_id_the_database_can_hold(number):
    assert routes().match(f"/things/{number}") == ("thing", {"thing_id": int(number)})


@pytest.mark.parametrize("number", [str(MAX_ID + 1), str(2**63), "9" * 5000, "-1", "١"])
def test_an_id_route_does_not_match_one_it_cannot(number):
    with pytest.raises(NotFound):
        routes().match(f"/things/{number}")


def test_the_converter_is_registered_as_int():
    app = Flask(__name__)
    install_converters(app)
    assert app.url_map.converters["int"] is IdConverter
