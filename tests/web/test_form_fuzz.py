"""Arbitrary form data to every form on the site never causes a server error.

The routes come from the app's URL map, so a new form is fuzzed as soon as it exists;
a route whose URL needs a value this file cannot supply fails the test until added.
"""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wtforms.fields.core import UnboundField

import lms.models  # noqa: F401
from lms import create_app
from lms.accounts import tokens
from lms.cohorts import service as cohorts
from lms.cohorts.models import CohortRole
from lms.extensions import db
from lms.learning import service as learning
from tests.factories import PASSWORD

SKIP = {"accounts.logout", "record.delete_account"}  # they end the fuzzing session itself
PREFIXES = ("", "name-", "bio-", "email-", "password-", "cohort-", "member-", "move-")


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def field_names() -> list[str]:
    names = {
        name for form in _subclasses(FlaskForm) for name, value in vars(form).items() if isinstance(value, UnboundField)
    }
    for form in _subclasses(FlaskForm):
        for klass in form.__mro__:
            names |= {n for n, v in vars(klass).items() if isinstance(v, UnboundField)}
    return sorted(prefix + name for prefix, name in itertools.product(PREFIXES, names | {"submit", "save", "preview"}))


def post_rules():
    app = create_app({"SECRET_KEY": "x" * 40, "LMS_ENV": "testing"})
    return sorted(
        (r.rule, r.endpoint) for r in app.url_map.iter_rules() if "POST" in r.methods and r.endpoint not in SKIP
    )


VALUES = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "999999999999999999999",
            "1e309",
            "NaN",
            "2027-02-30",
            "y",
            "on",
            "true",
            "x" * 20_000,
            "<script>alert(1)</script>",
            "'; DROP TABLE users; --",
            "\x00",
            "\ud7ff\ue000",
            "{{7*7}}",
            "a: [",
            "- - -\n  :",
            "questions: 5",
            "learner",
            "admin",
            "facilitator",
            "up",
            "1",
            "2",
        ]
    ),
)
FORMS = st.dictionaries(st.sampled_from(field_names()) | st.text(min_size=1, max_size=10), VALUES, max_size=8)


@pytest.fixture
def world(course, admin, learner):
    """Rows for every kind of URL parameter, owned by the admin who does the fuzzing."""
    learning.join_course(admin.id, course.course.id)
    cohort = cohorts.create_cohort(course.course.id, "Fuzzers", date(2027, 1, 1), "FUZZ-2027")
    cohorts.add_member(cohort, learner.email, CohortRole.LEARNER)
    cohorts.add_member(cohort, admin.email, CohortRole.FACILITATOR)
    db.session.commit()
    from lms.reflection import service as reflection

    step = course.steps[0]
    mine = reflection.save(admin.id, step.id, "Mine", {}, False)
    from lms.comments import service as discussion
    from lms.lti import service as lti
    from lms.notifications import service as notifications
    from tests.web.test_permissions import PLATFORM

    said = discussion.post_comment(learner, step.id, "A comment to fuzz around")
    notifications.notify(admin.id, "reply", said.id, actor_id=learner.id)
    db.session.commit()
    return {
        "comment_id": said.id,
        "person_id": learner.id,
        "notification_id": 1,
        "module_slug": step.module_slug,
        "step_slug": step.slug,
        "step_id": step.id,
        "module_id": course.modules[0].id,
        "cohort_id": cohort.id,
        "join_code": cohort.join_code,
        "user_id": learner.id,
        "reflection_id": mine.id,
        "number": 1,
        "filename": "x",
        "platform_id": lti.save_platform(admin, None, **PLATFORM).id,
        "launch_id": 1,
        # A good reset link (the form behind it is fuzzed); the same token is a foreign one
        # on the other links' routes.
        "token": tokens.make(tokens.RESET, learner),
    }


def url_for_rule(rule: str, values: dict) -> str:
    url = rule
    for part in rule.split("<")[1:]:
        spec = part.split(">")[0]
        name = spec.split(":")[-1]
        if spec.startswith("any("):
            value = spec[4:].split(")")[0].split(",")[0].strip()
        else:
            assert name in values, f"add a value for <{name}> (route {rule}) to the fuzz test's world"
            value = values[name]
        url = url.replace(f"<{spec}>", str(value))
    return url


@pytest.mark.parametrize("rule, endpoint", post_rules())
def test_no_form_data_causes_a_server_error(client, world, admin, rule, endpoint):
    client.post("/login", data={"email": admin.email, "password": PASSWORD})
    url = url_for_rule(rule, world)

    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(FORMS)
    def post(data):
        response = client.post(url, data=data)
        assert response.status_code < 500, (url, data)
        db.session.rollback()

    post()
