"""Hostile input to every route, as every kind of person, never causes a server error.

The routes come from the app's URL map, so a new route is walked as soon as it exists.
Each is asked with path parameters, query strings and form values an attacker might send
(NUL and other control characters, CR/LF, numbers too large or negative, 100 KB strings,
odd Unicode), by a visitor, a learner, a facilitator and an admin, on whichever database
the run uses. CSRF is off in tests, so forms reach their handlers.

Hypothesis picks the inputs; each route gets a few tries per person, so that the walk
stays within about a minute per database (raise WALK_EXAMPLES locally to search harder).
"""

from __future__ import annotations

import os
import re
import zlib
from datetime import date
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms import create_app
from lms.assessment import scoring
from lms.assessment import service as assessment
from lms.cohorts import service as cohorts
from lms.cohorts.models import CohortRole
from lms.comments import service as discussion
from lms.extensions import db
from lms.learning import service as learning
from lms.notifications import service as notifications
from lms.reflection import service as reflection
from tests.factories import PASSWORD, make_user
from tests.web.test_form_fuzz import field_names

WALK_EXAMPLES = int(os.environ.get("LMS_WALK_EXAMPLES", "3"))
ROLES = ("anonymous", "learner", "facilitator", "admin")
# They end the walking session itself (the person's data or sign-in): walked by their own tests.
SKIP = {"accounts.logout", "record.delete_account"}
FILES = {"static", "nhsuk.static", "nhsuk_assets.static"}

HUGE_NUMBERS = ["0", "-1", "2147483647", "2147483648", "9223372036854775808", "99999999999999999999", "9" * 5000]
HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x01\x1b[2J\x7f",
    "\r\n",
    "/todo\r\nSet-Cookie: x=1",
    "x" * 100_000,
    "\u202eevil\u202c",
    "\u200b\u200d\ufeff",
    "\u0131",
    "𝐀𝐝𝐦𝐢𝐧",
    "Z̴̡̛a̷l̸g̶o̵",
    "\ud7ff\ue000\U0010fffd",
    "../../etc/passwd",
    "//evil.example/",
    "javascript:alert(1)",
    "<script>alert(1)</script>",
    "'; DROP TABLE users; --",
    "%00",
    "{{7*7}}",
    "1e309",
    "NaN",
    "2027-02-30",
    "1_2147483648",
    "999999999999999999_1",
    "-999999999999999999_-1",
    "y",
    "on",
    "admin",
    "liked",
    "desc",
    *HUGE_NUMBERS,
]
VALUES = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=50))
QUERY_NAMES = ["page", "before", "after", "next", "q", "role", "action", "actor", "show", "sort", "dir", "old", "new"]
QUERY_NAMES += ["email", "code", "v", "submit"]
QUERIES = st.dictionaries(st.sampled_from(QUERY_NAMES) | st.text(min_size=1, max_size=8), VALUES, max_size=4)
FORMS = st.dictionaries(
    st.sampled_from(field_names() + QUERY_NAMES) | st.text(min_size=1, max_size=8), VALUES, max_size=6
)
_PART = re.compile(r"<(?:(?P<converter>[a-z]+)(?:\((?P<options>[^)]*)\))?:)?(?P<name>\w+)>")


def walks() -> list[tuple[str, str, str]]:
    """(endpoint, rule, method) for every route and method, from the URL map."""
    app = create_app({"SECRET_KEY": "x" * 40, "LMS_ENV": "testing"})
    return sorted(
        (rule.endpoint, rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in SKIP
        for method in sorted(rule.methods & {"GET", "POST"})
    )


def parameter(converter: str | None, options: str | None, name: str, world: dict):
    """Values for one path parameter: the real one (so the handler runs) or hostile ones."""
    if converter == "any":
        return st.sampled_from([o.strip().strip("'\"") for o in options.split(",")] + ["other"])
    real = world.get(name)
    hostile = st.sampled_from(HUGE_NUMBERS) if converter == "int" else VALUES
    return st.one_of(st.just(real), hostile) if real is not None else hostile


def url_strategy(rule: str, world: dict):
    parts = list(_PART.finditer(rule))
    values = st.tuples(*(parameter(m["converter"], m["options"], m["name"], world) for m in parts))

    def build(chosen) -> str:
        url = rule
        for match, value in zip(parts, chosen):
            url = url.replace(match[0], quote(str(value), safe="/" if match["converter"] == "path" else ""), 1)
        return url

    return values.map(build)


@pytest.fixture
def world(app, assessed_course):
    """A learner, a facilitator and an admin in one cohort, with something of each kind to ask for."""
    course = assessed_course
    people = {
        "learner": make_user(display_name="Lee Learner"),
        "facilitator": make_user(display_name="Fay Facilitator", role="facilitator"),
        "admin": make_user(display_name="Ada Admin", role="admin"),
    }
    for person in people.values():
        learning.join_course(person.id, course.course.id)
    cohort = cohorts.create_cohort(course.course.id, "Walkers", date(2027, 1, 1), "WALK-2027")
    cohorts.add_member(cohort, people["learner"].email, CohortRole.LEARNER)
    cohorts.add_member(cohort, people["facilitator"].email, CohortRole.FACILITATOR)
    db.session.commit()
    step = course.steps[0]
    said = discussion.post_comment(people["learner"], step.id, "A comment to walk around")
    notifications.notify(people["learner"].id, "reply", said.id, actor_id=people["facilitator"].id)
    quiz = next(s for s in course.steps if s.type == "quiz")
    questions = assessment.settings_for(quiz, assessment.QUIZ_TYPES)["questions"]
    assessment.answer_quiz(
        people["learner"].id, quiz, str(quiz.id), {q["id"]: [scoring.option_keys(q)[0]] for q in questions}
    )
    reflections = {role: reflection.save(user.id, step.id, "Mine", {}, False).id for role, user in people.items()}
    db.session.commit()
    slugs = [(s.module_slug, s.slug) for s in course.steps]
    return (
        people,
        reflections,
        slugs,
        {
            "comment_id": said.id,
            "person_id": people["learner"].id,
            "notification_id": 1,
            "step_id": step.id,
            "module_id": course.modules[0].id,
            "cohort_id": cohort.id,
            "user_id": people["learner"].id,
            "number": 1,
            "code": "WALK-2027",
            "filename": "css/app.css",
        },
    )


@pytest.mark.parametrize("role", ROLES)
def test_no_hostile_input_causes_a_server_error(app, world, role):
    people, reflections, slugs, values = world
    client = app.test_client()
    if role != "anonymous":
        login = client.post("/login", data={"email": people[role].email, "password": PASSWORD})
        assert login.status_code == 302
    values = {**values, "reflection_id": reflections.get(role, reflections["learner"])}
    for endpoint, rule, method in walks():
        if endpoint in FILES and role != "anonymous":
            continue  # files are the same for everyone
        slug = slugs[zlib.crc32(endpoint.encode()) % len(slugs)]  # each step route tried on some step, across the types
        urls = url_strategy(rule, {**values, "module_slug": slug[0], "step_slug": slug[1]})
        walk(client, endpoint, method, urls)


def walk(client, endpoint: str, method: str, urls) -> None:
    @settings(
        max_examples=WALK_EXAMPLES,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.large_base_example,
        ],
    )
    @given(url=urls, query=QUERIES, form=FORMS)
    def ask(url, query, form):
        if method == "GET":
            response = client.get(url, query_string=query)
        else:
            response = client.post(url, query_string=query, data=form)
        response.close()  # a file is sent as a stream: let it go
        assert response.status_code < 500, (endpoint, method, url, query, form)
        db.session.rollback()

    ask()
