"""Every shape of xAPI statement the platform sends, checked against the xAPI 1.0.3 schema
kept in tests/fixtures/xapi (the record store checks them again on POST: tests/web/test_xapi.py)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import jsonschema
import pytest

from lms.xapi import statements
from lms.xapi.statements import Learner, Place

SCHEMA = json.loads((Path(__file__).parent.parent / "fixtures" / "xapi" / "statement.schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())

BASE = "https://learn.example.org"
COURSE = (f"{BASE}/", "Leading with compassion", "course")
MODULE = (f"{BASE}/modules/first-steps", "First steps", "module")
STEP = Place(f"{BASE}/steps/first-steps/welcome", "1.1 Welcome", "lesson", (MODULE, COURSE))
TEST = Place(f"{BASE}/steps/check/final-test", "3.3 Final test", "assessment", (MODULE, COURSE))
SHARER = Learner(7, "sam@example.org", shares_scores=True)
KEEPER = Learner(8, "kim@example.org", shares_scores=False)
SECRET = "site secret"


def draft(verb: str, **details) -> dict:
    return {"id": str(uuid.uuid4()), "verb": verb, "timestamp": "2026-12-05T10:11:12.345Z", **details}


def build(verb: str, place: Place = STEP, learner: Learner = KEEPER, by: str = "account", **details) -> dict:
    who = statements.actor(learner, by=by, home_page=BASE, secret=SECRET)
    return statements.build(
        draft(verb, **details), place, who, learner, platform="Test", extensions_base=f"{BASE}/xapi/extensions/"
    )


def valid(statement: dict) -> dict:
    errors = sorted(VALIDATOR.iter_errors(statement), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    score = statement.get("result", {}).get("score")
    if score:
        assert score["min"] <= score["raw"] <= score["max"]
        assert score["scaled"] == pytest.approx(score["raw"] / score["max"], abs=1e-4)
    return statement


SHAPES = {
    "registered": lambda: build("registered", Place(*COURSE)),
    "experienced": lambda: build("experienced"),
    "completed a step": lambda: build("completed", result={"completion": True}),
    "answered a quiz": lambda: build("answered", TEST, result=statements.quiz_result(1, 2, False)),
    "passed a test": lambda: build("passed", TEST, result=statements.quiz_result(2, 2, True)),
    "failed a test": lambda: build("failed", TEST, result=statements.quiz_result(0, 2, False)),
    "self-assessed, sharing": lambda: build(
        "completed", TEST, SHARER, result={"completion": True}, dimension_scores={"attending": 3.5, "helping": 5.0}
    ),
    "self-assessed, not sharing": lambda: build(
        "completed", TEST, KEEPER, result={"completion": True}, dimension_scores={"attending": 3.5}
    ),
    "commented": lambda: build("commented"),
    "earned": lambda: build(
        "earned", Place(*COURSE), result={"completion": True}, certificate=f"{BASE}/certificates/ABCD-EFGH"
    ),
    "by mailbox": lambda: build("experienced", by="mbox"),
    "about a module": lambda: build("experienced", Place(*MODULE, parents=(COURSE,))),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_every_statement_shape_is_a_valid_xapi_statement(shape):
    valid(SHAPES[shape]())


def test_the_schema_refuses_what_an_xapi_statement_must_not_be():
    good = build("answered", TEST, result=statements.quiz_result(1, 2, False))
    for broken in (
        {k: v for k, v in good.items() if k != "id"},
        {**good, "id": "not-a-uuid"},
        {**good, "timestamp": "2026-12-05 10:11:12"},  # no T, no zone
        {**good, "actor": {"objectType": "Agent"}},  # nobody
        {**good, "actor": {**good["actor"], "mbox": "mailto:x@example.org"}},  # two identities
        {**good, "verb": {"id": "answered", "display": {"en-GB": "answered"}}},  # not an IRI
        {**good, "result": {"score": {"scaled": 2, "raw": 1, "min": 0, "max": 2}}},
        {**good, "colour": "blue"},
    ):
        assert list(VALIDATOR.iter_errors(broken)), broken


def test_a_learner_is_named_by_an_opaque_stable_account_never_their_email():
    first, again = build("experienced"), build("completed")
    assert first["actor"] == again["actor"]
    assert first["actor"]["account"]["homePage"] == BASE
    name = first["actor"]["account"]["name"]
    assert len(name) == 32 and "kim" not in json.dumps(first) and "@" not in json.dumps(first)
    assert build("experienced", learner=SHARER)["actor"]["account"]["name"] != name
    assert statements.actor_id("another secret", KEEPER.user_id) != name
    assert build("experienced", by="mbox")["actor"] == {"objectType": "Agent", "mbox": "mailto:kim@example.org"}


def test_dimension_scores_go_only_with_a_learner_who_agreed_to_share_them():
    shared = SHAPES["self-assessed, sharing"]()
    assert shared["result"]["extensions"] == {
        f"{BASE}/xapi/extensions/self-assessment-scores": {"attending": 3.5, "helping": 5.0}
    }
    kept = SHAPES["self-assessed, not sharing"]()
    assert kept["result"] == {"completion": True} and "3.5" not in json.dumps(kept)


def test_statements_name_the_step_its_module_and_course_with_verbs_from_the_adl_vocabulary():
    statement = build("experienced")
    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/experienced"
    assert statement["object"]["id"] == f"{BASE}/steps/first-steps/welcome"
    assert statement["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/lesson"
    activities = statement["context"]["contextActivities"]
    assert [a["id"] for a in activities["parent"]] == [f"{BASE}/modules/first-steps"]
    assert [a["id"] for a in activities["grouping"]] == [f"{BASE}/"]
    assert "contextActivities" not in build("registered", Place(*COURSE))["context"]
    assert statements.quiz_result(1, 4, None) == {
        "score": {"scaled": 0.25, "raw": 1, "min": 0, "max": 4},
        "completion": True,
    }


def test_the_actor_setting_is_account_unless_mbox_is_chosen(tmp_path):
    from lms.config import load_config

    environ = {"LMS_SECRET_KEY": "k" * 40}
    assert load_config(environ, tmp_path)["LMS_XAPI_ACTOR"] == "account"
    assert load_config(environ, tmp_path)["LMS_XAPI_ENDPOINT"] == ""  # off
    assert load_config({**environ, "LMS_XAPI_ACTOR": " MBOX "}, tmp_path)["LMS_XAPI_ACTOR"] == "mbox"
    with pytest.raises(ValueError, match="LMS_XAPI_ACTOR must be one of"):
        load_config({**environ, "LMS_XAPI_ACTOR": "email"}, tmp_path)
