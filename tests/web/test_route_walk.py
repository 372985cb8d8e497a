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
from datetime import date
from html import unescape
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms import create_app
from lms.accounts import tokens
from lms.assessment import scoring
from lms.assessment import service as assessment
from lms.cohorts import service as cohorts
from lms.cohorts.models import CohortRole
from lms.comments import service as discussion
from lms.extensions import db
from lms.learning import service as learning
from lms.lti import service as lti
from lms.notifications import service as notifications
from lms.reflection import service as reflection
from tests.factories import PASSWORD, make_user
from tests.web.test_form_fuzz import field_names
from tests.web.test_permissions import PLATFORM, image_values

WALK_EXAMPLES = int(os.environ.get("LMS_WALK_EXAMPLES", "4"))
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


def url_strategy(rule: str, world: dict, slugs: list[tuple[str, str]]):
    """URLs for the rule: real values first, hostile ones mixed in; a step route on any step."""
    parts = list(_PART.finditer(rule))
    step = st.one_of(st.sampled_from(slugs), st.tuples(VALUES, VALUES))

    @st.composite
    def urls(draw) -> str:
        module_slug, step_slug = draw(step)
        chosen = {"module_slug": module_slug, "step_slug": step_slug}
        url = rule
        for match in parts:
            name = match["name"]
            value = (
                chosen[name] if name in chosen else draw(parameter(match["converter"], match["options"], name, world))
            )
            url = url.replace(match[0], quote(str(value), safe="/" if match["converter"] == "path" else ""), 1)
        return url

    return urls()


_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
_ATTR = re.compile(r'([\w-]+)="([^"]*)"')
_CONTROL = re.compile(r"<(input|button)\b([^>]*)>|<(textarea|select)\b([^>]*)>(.*?)</(?:textarea|select)>", re.S)


def page_forms(html: str) -> dict[str, list[dict[str, str]]]:
    """The POST forms on a page: {action path: [{field name: value as filled in}]}."""
    found: dict[str, list[dict[str, str]]] = {}
    for form in _FORM.finditer(html):
        attrs = dict(_ATTR.findall(form[1]))
        if attrs.get("method", "get").lower() != "post":
            continue
        fields = {}
        for control in _CONTROL.finditer(form[2]):
            tag_attrs = dict(_ATTR.findall(control[2] or control[4]))
            if "name" not in tag_attrs:
                continue
            if control[3] == "textarea":
                value = control[5]
            elif control[3] == "select":
                value = next(iter(re.findall(r'value="([^"]*)"', control[5])), "")
            else:
                value = tag_attrs.get("value", "")
            fields[unescape(tag_attrs["name"])] = unescape(value)
        found.setdefault(unescape(attrs.get("action", "")).split("?")[0].split("#")[0], []).append(fields)
    return found


def form_strategy(forms: list[dict[str, str]]):
    """A form as the page fills it in, with one or two fields made hostile (the first try:
    none, a real submission); sometimes any fields at all."""
    if not forms:
        return FORMS

    def mutated(fields: dict[str, str]):
        def fill(hostile: list[str]):
            return st.fixed_dictionaries({n: VALUES if n in hostile else st.just(v) for n, v in fields.items()})

        return st.lists(st.sampled_from(sorted(fields)), max_size=2, unique=True).flatmap(fill) if fields else FORMS

    return st.one_of(st.sampled_from(forms).flatmap(mutated), FORMS)


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
            "join_code": "WALK-2027",
            **image_values(),
            "filename": "css/app.css",
            "platform_id": lti.save_platform(people["admin"], None, **PLATFORM).id,
            "launch_id": 1,
            "token": tokens.make(tokens.RESET, people["learner"]),  # a good link; foreign on the other link routes
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
    routes = walks()
    forms = forms_seen(client, routes, values, slugs)
    for endpoint, rule, method in routes:
        if endpoint in FILES and role != "anonymous":
            continue  # files are the same for everyone
        walk(client, endpoint, method, url_strategy(rule, values, slugs), forms)


def real_url(rule: str, values: dict) -> str:
    def value(match) -> str:
        return str(values[match["name"]]) if match["name"] in values else match["options"].split(",")[0].strip()

    return _PART.sub(value, rule)


def forms_seen(client, routes, values: dict, slugs) -> dict[str, list[dict[str, str]]]:
    """Every POST form on every page this person can open, by the path it posts to."""
    forms: dict[str, list[dict[str, str]]] = {}
    pages = {rule for endpoint, rule, method in routes if method == "GET" and endpoint not in FILES}
    for rule in sorted(pages):
        for module_slug, step_slug in slugs if "<step_slug>" in rule else slugs[:1]:
            url = real_url(rule, {**values, "module_slug": module_slug, "step_slug": step_slug})
            response = client.get(url)
            if response.status_code == 200 and response.mimetype == "text/html":
                for action, found in page_forms(response.text).items():
                    known = forms.setdefault(action, [])
                    known.extend(f for f in found if f not in known)
            response.close()
    db.session.rollback()
    return forms


def walk(client, endpoint: str, method: str, urls, forms: dict) -> None:
    @settings(
        max_examples=WALK_EXAMPLES,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.large_base_example,
        ],
    )
    @given(data=st.data(), query=QUERIES)
    def ask(data, query):
        url = data.draw(urls, label="url")
        if method == "GET":
            response = client.get(url, query_string=query)
        else:
            form = data.draw(form_strategy(forms.get(url, [])), label="form")
            response = client.post(url, query_string=query, data=form)
        response.close()  # a file is sent as a stream: let it go
        assert response.status_code < 500, (endpoint, method, url, query)
        db.session.rollback()

    ask()
