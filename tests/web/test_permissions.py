"""The permission matrix: every route, as every kind of person, gives exactly the outcome
its access rule says. Routes come from the URL map: a new route without an entry in
ACCESS fails here until someone decides who may use it."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from lms import create_app
from lms.accounts import service as accounts
from lms.assessment import scoring
from lms.assessment import service as assessment
from lms.certificates.codes import new_code
from lms.certificates.models import Certificate
from lms.cohorts import service as cohorts
from lms.cohorts.models import CohortRole
from lms.comments import service as discussion
from lms.extensions import db
from lms.learning import service as learning
from lms.lti import service as lti
from lms.notifications import mailing
from lms.notifications import service as notifications
from lms.notifications.models import Notification
from lms.reflection import service as reflection
from tests.factories import PASSWORD, make_user

PUBLIC, GUEST, SIGNED_IN, ENROLLED, STAFF, COHORT_STAFF, ADMIN, OWNER, FILES = (
    "public",
    "guest",
    "signed-in",
    "enrolled",
    "staff",
    "cohort-staff",
    "admin",
    "owner",
    "files",
)
# Integrations that are off unless configured: every route answers 404 to everyone (their own
# tests turn them on and check who may use them).
OFF = "off"
# What a learning platform sends the browser to: without a real launch they answer 400.
LAUNCH = "launch"
# An instructor's deep-linking request: staff only, and only the launch's own (else 404).
DEEP_LINK = "deep-link"
# The language switch: anyone, sent back to the page they came from.
SWITCH = "switch"
# A public comment's author may edit it; everyone else may report or like it (others get 403).
AUTHOR, NOT_AUTHOR = "author", "not-author"

ACCESS = {
    "static": FILES,
    "nhsuk.static": FILES,
    "nhsuk_assets.static": FILES,
    "learning.course": PUBLIC,
    "i18n.switch": SWITCH,
    # The glossary is part of the course page; pictures are addressed by their hash (like static files).
    "content.glossary": PUBLIC,
    "content.image": PUBLIC,
    "accessibility.statement": PUBLIC,
    "accessibility.privacy": PUBLIC,
    "accessibility.cookies": PUBLIC,
    "certificates.check": PUBLIC,
    "certificates.verify": PUBLIC,
    "accounts.login": GUEST,
    "accounts.register": GUEST,
    "accounts.check_email": GUEST,
    "accounts.forgot_password": GUEST,
    # Links from email: the token in the link, not the sign-in, decides what they may do.
    "accounts.confirm_email": PUBLIC,
    "accounts.reset_password": PUBLIC,
    "accounts.confirm_new_email": PUBLIC,
    "accounts.logout": PUBLIC,  # signing out is harmless for anyone
    "accounts.account": SIGNED_IN,
    "accounts.sign_out_others": SIGNED_IN,
    "cohorts.join": SIGNED_IN,
    # A cohort's join link: its page shows the cohort's name and a way in to anyone who has it.
    "cohorts.join_link": PUBLIC,
    "record.my_data": SIGNED_IN,
    "record.delete_account": SIGNED_IN,
    "learning.join": SIGNED_IN,
    "learning.todo": ENROLLED,
    "progress.page": ENROLLED,
    "learning.module": ENROLLED,
    "assessment.answer": ENROLLED,
    "assessment.results": ENROLLED,
    "certificates.mine": ENROLLED,
    "certificates.claim": ENROLLED,
    "learning.set_complete": ENROLLED,
    "steps.step": ENROLLED,
    "steps.printable": ENROLLED,
    "reflection.index": ENROLLED,
    "reflection.save": ENROLLED,
    "reflection.autosave": ENROLLED,
    "record.page": ENROLLED,
    "record.markdown": ENROLLED,
    "record.pdf": ENROLLED,
    "reflection.edit": OWNER,
    "reflection.delete": OWNER,
    "record.share_reflection": OWNER,
    "facilitation.cohorts_list": STAFF,
    "facilitation.dashboard": COHORT_STAFF,
    "facilitation.export": COHORT_STAFF,
    "facilitation.steps": COHORT_STAFF,
    "facilitation.learner": COHORT_STAFF,
    "facilitation.discussion": COHORT_STAFF,
    "facilitation.care": COHORT_STAFF,
    "facilitation.self_assessments": COHORT_STAFF,
    "facilitation.message": COHORT_STAFF,
    "people.people": ADMIN,
    "people.person": ADMIN,
    "people.set_active": ADMIN,
    "people.change_role": ADMIN,
    "people.deactivate": ADMIN,
    "people.send_reset_link": ADMIN,
    "people.mail": ADMIN,
    "people.retry_mail": ADMIN,
    "people.test_mail": ADMIN,
    "people.cohort_list": ADMIN,
    "people.new_cohort": ADMIN,
    "people.cohort": ADMIN,
    "people.remove_member": ADMIN,
    "people.delete_cohort": ADMIN,
    "people.change_code": ADMIN,
    "people.add_many": ADMIN,
    "audit.log": ADMIN,
    "audit.export": ADMIN,
    "authoring.overview": ADMIN,
    "authoring.edit_step": ADMIN,
    "authoring.new_step": ADMIN,
    "authoring.step_action": ADMIN,
    "authoring.move_step": ADMIN,
    "authoring.compare": ADMIN,
    "authoring.restore": ADMIN,
    "authoring.preview": ADMIN,
    "authoring.edit_module": ADMIN,
    "authoring.new_module": ADMIN,
    "authoring.module_action": ADMIN,
    "authoring.unpublish_step": ADMIN,
    "authoring.unpublish_module": ADMIN,
    "comments.post": ENROLLED,
    "comments.reply": ENROLLED,
    "comments.conversation": ENROLLED,
    "comments.edit": AUTHOR,
    "comments.delete": AUTHOR,
    "comments.request_review": AUTHOR,
    "comments.report": NOT_AUTHOR,
    "comments.like": NOT_AUTHOR,
    "comments.unlike": ENROLLED,
    "comments.bookmark": ENROLLED,
    "comments.unbookmark": ENROLLED,
    "profiles.profile": ENROLLED,
    "profiles.follow": ENROLLED,
    "profiles.unfollow": ENROLLED,
    "notifications.page": ENROLLED,
    "notifications.mark_read": ENROLLED,
    "notifications.mark_all_read": ENROLLED,
    "notifications.email_preferences": SIGNED_IN,
    "notifications.unsubscribe": PUBLIC,  # a signed link in mail, for someone not signed in
    "moderation.queue_page": STAFF,
    "moderation.hide": STAFF,
    "moderation.restore": STAFF,
    "moderation.dismiss": STAFF,
    "moderation.highlight": STAFF,
    "moderation.unhighlight": STAFF,
    "moderation.lock": STAFF,
    "moderation.unlock": STAFF,
    "sso.start": OFF,
    "sso.callback": OFF,
    "sso.settings": ADMIN,
    "lti.jwks": PUBLIC,
    "lti.login": LAUNCH,
    "lti.launch": LAUNCH,
    "lti.continue_launch": LAUNCH,
    "lti.deep_link": DEEP_LINK,
    "lti.platforms": ADMIN,
    "lti.new_platform": ADMIN,
    "lti.edit_platform": ADMIN,
    "lti.pull_roster": COHORT_STAFF,
}
QUERY = {
    "authoring.compare": "?old=1&new=1",
    "people.change_role": "?role=facilitator",
}  # routes that need a query string to show a page
QUIZ_ROUTES = {"assessment.answer", "assessment.results"}  # their step must be a quiz
PRINTABLE_ROUTES = {"steps.printable"}  # their step must have a printable copy (a self-assessment)
LINK_ROUTES = {
    "accounts.confirm_email",
    "accounts.reset_password",
    "accounts.confirm_new_email",
    "notifications.unsubscribe",
}  # need a good token
PERSONAS = ("anonymous", "learner", "other_learner", "other_facilitator", "facilitator", "admin", "deactivated")
SIGNED_OUT = {"anonymous", "deactivated"}  # a deactivated person's old cookie no longer signs them in

# What each kind of person gets from a GET, by access rule: a page, a redirect to sign in,
# another redirect, 403 or 404.
ALLOWED = {
    PUBLIC: set(PERSONAS),
    SIGNED_IN: set(PERSONAS) - SIGNED_OUT,
    ENROLLED: set(PERSONAS) - SIGNED_OUT,
    STAFF: {"other_facilitator", "facilitator", "admin"},
    COHORT_STAFF: {"facilitator", "admin"},
    ADMIN: {"admin"},
    OWNER: {"learner"},
    AUTHOR: {"learner"},
    NOT_AUTHOR: set(PERSONAS) - SIGNED_OUT - {"learner"},
    DEEP_LINK: {"other_facilitator", "facilitator", "admin"},  # then 404 unless the request is theirs
}


def expected(access: str, persona: str) -> str:
    if access == OFF:
        return "404"
    if access == LAUNCH:
        return "400"
    if access == SWITCH:
        return "redirect"
    if access == DEEP_LINK:
        return "login" if persona in SIGNED_OUT else "404" if persona in ALLOWED[STAFF] else "403"
    if access == GUEST:
        return "page" if persona in SIGNED_OUT else "redirect"
    if persona in SIGNED_OUT and access != PUBLIC:
        return "login"
    if persona in ALLOWED[access]:
        return "page"
    return "404" if access == OWNER else "403"


def outcome(response) -> str:
    if response.status_code == 302:
        return "login" if response.location.startswith("/login") else "redirect"
    # 401: a script's request (autosave) told to sign in, in JSON, instead of a redirect it would follow.
    return {200: "page", 401: "login", 403: "403", 404: "404"}.get(response.status_code, str(response.status_code))


def rules():
    app = create_app({"SECRET_KEY": "x" * 40, "LMS_ENV": "testing"})
    return sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint)


def test_every_route_has_an_access_rule():
    missing = sorted({r.endpoint for r in rules()} - set(ACCESS))
    assert not missing, f"decide who may use these routes and add them to ACCESS: {missing}"


@pytest.fixture
def world(app, assessed_course):
    """One of each kind of person, a cohort, and a reflection belonging to the learner."""
    people = {
        "learner": make_user(display_name="Lee Learner"),
        "other_learner": make_user(display_name="Olly Other"),
        "other_facilitator": make_user(display_name="Otto Elsewhere", role="facilitator"),
        "facilitator": make_user(display_name="Fay Facilitator", role="facilitator"),
        "admin": make_user(display_name="Ada Admin", role="admin"),
        "deactivated": make_user(display_name="Dee Gone"),
    }
    course = assessed_course
    for person in people.values():
        learning.join_course(person.id, course.course.id)
    cohort = cohorts.create_cohort(course.course.id, "Ours", date(2027, 1, 1), "OURS-2027")
    other = cohorts.create_cohort(course.course.id, "Theirs", date(2027, 1, 1), None)
    cohorts.add_member(cohort, people["learner"].email, CohortRole.LEARNER)
    cohorts.add_member(cohort, people["facilitator"].email, CohortRole.FACILITATOR)
    cohorts.add_member(other, people["other_facilitator"].email, CohortRole.FACILITATOR)
    db.session.commit()
    step = course.steps[0]
    mine = reflection.save(people["learner"].id, step.id, "Private", {}, False)
    said = discussion.post_comment(people["learner"], step.id, "A public comment")
    notifications.notify(people["learner"].id, "reply", said.id, actor_id=people["other_learner"].id)
    quiz = next(s for s in course.steps if s.type == "quiz")
    questions = assessment.settings_for(quiz, assessment.QUIZ_TYPES)["questions"]
    for person in people.values():  # everyone has a result to look at
        assessment.answer_quiz(person.id, quiz, str(quiz.id), {q["id"]: [scoring.option_keys(q)[0]] for q in questions})
    certificate = Certificate(
        user_id=people["other_learner"].id,
        course_id=course.course.id,
        code=new_code(),
        learner_name="Olly Other",
        course_title="The course",
        hours=1,
    )
    db.session.add(certificate)
    db.session.commit()
    platform = lti.save_platform(people["admin"], None, **PLATFORM)
    link_to_platform(platform, cohort)
    values = {
        "comment_id": said.id,
        "person_id": people["learner"].id,
        "notification_id": db.session.scalar(sa.select(sa.func.max(Notification.id))),
        "quiz": {"module_slug": quiz.module_slug, "step_slug": quiz.slug},
        "printable": printable_step(course),
        "code": certificate.code,
        "module_slug": step.module_slug,
        "step_slug": step.slug,
        "step_id": step.id,
        "module_id": course.modules[0].id,
        "cohort_id": cohort.id,
        "join_code": cohort.join_code,
        "user_id": people["learner"].id,
        "reflection_id": mine.id,
        "number": 1,
        "filename": "css/app.css",
        **image_values(),
        "platform_id": platform.id,
        "launch_id": 1,  # no deep-linking request: only its own instructor could open one
        "token": "no-such-launch",
        "tokens": {
            **link_tokens(people["learner"]),
            "notifications.unsubscribe": mailing.unsubscribe_token(people["learner"].id, "likes"),
        },
    }
    return people, values


def printable_step(outline) -> dict[str, str]:
    """A step with a printable copy: the first self-assessment."""
    step = next(s for s in outline.steps if s.type == "self-assessment")
    return {"module_slug": step.module_slug, "step_slug": step.slug}


def image_values() -> dict[str, str]:
    """The address parts of a stored picture of the course (content.image)."""
    from lms.content.models import ContentAsset

    sha256, name = db.session.execute(sa.select(ContentAsset.sha256, ContentAsset.name).limit(1)).one()
    return {"sha256": sha256, "name": name}


PLATFORM = {
    "name": "Trust Moodle",
    "issuer": "https://moodle.trust.example",
    "client_id": "client-1",
    "deployment_ids": "1",
    "key_set_url": "https://moodle.trust.example/jwks",
    "auth_login_url": "https://moodle.trust.example/auth",
    "auth_token_url": "https://moodle.trust.example/token",
}


def link_to_platform(platform, cohort) -> None:
    """The cohort is a learning platform's course, whose roster its facilitators may pull."""
    from lms.lti.models import LtiContext

    db.session.add(
        LtiContext(
            platform_id=platform.id,
            context_id="course-1",
            title=cohort.name,
            cohort_id=cohort.id,
            memberships_url="https://moodle.trust.example/memberships/course-1",
        )
    )
    db.session.commit()


def link_tokens(learner) -> dict[str, str]:
    """A usable token for each route of a link sent by email: a newcomer's verification link,
    and the learner's reset and email change links."""
    from lms.accounts import tokens
    from lms.accounts.models import User

    accounts.register(email="newcomer@example.org", display_name="Nia Newcomer", password=PASSWORD)
    newcomer = db.session.scalar(sa.select(User).where(User.email == "newcomer@example.org"))
    return {
        "accounts.confirm_email": tokens.make(tokens.VERIFY, newcomer),
        "accounts.reset_password": tokens.make(tokens.RESET, learner),
        "accounts.confirm_new_email": tokens.make(tokens.CHANGE_EMAIL, learner, e="lee.new@example.org"),
    }


def url_for_rule(rule, values: dict) -> str:
    if rule.endpoint in QUIZ_ROUTES:
        values = {**values, **values["quiz"]}
    if rule.endpoint in PRINTABLE_ROUTES:
        values = {**values, **values["printable"]}
    if rule.endpoint in LINK_ROUTES:
        values = {**values, "token": values["tokens"][rule.endpoint]}
    url = rule.rule
    for name in rule.arguments:
        spec = next(p for p in url.split("<")[1:] if p.split(">")[0].split(":")[-1] == name).split(">")[0]
        value = spec[4:].split(",")[0].strip(" )") if spec.startswith("any(") else values[name]
        url = url.replace(f"<{spec}>", str(value))
    return url + QUERY.get(rule.endpoint, "")


def client_as(make_app, persona: str, people: dict):
    app = make_app()
    client = app.test_client()
    if persona != "anonymous":
        user = people[persona]
        assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    if persona == "deactivated":
        accounts.apply_active(people["deactivated"], False)
        db.session.commit()
    return client


GET_RULES = [r for r in rules() if "GET" in r.methods and ACCESS.get(r.endpoint) != FILES]
# Signing out last, so it does not end the session the other routes are tried with.
POST_ONLY = sorted(
    (r for r in rules() if "GET" not in r.methods and "POST" in r.methods),
    key=lambda r: r.endpoint == "accounts.logout",
)


@pytest.mark.parametrize("persona", PERSONAS)
def test_get_matrix(make_app, world, persona):
    people, values = world
    client = client_as(make_app, persona, people)
    wrong = []
    for rule in GET_RULES:
        want = expected(ACCESS[rule.endpoint], persona)
        got = outcome(client.get(url_for_rule(rule, values)))
        if got != want:
            wrong.append(f"{rule.endpoint}: expected {want}, got {got}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("persona", PERSONAS)
def test_post_refusals(make_app, world, persona):
    """Who may not use a POST-only route is refused before anything happens."""
    people, values = world
    client = client_as(make_app, persona, people)
    wrong = []
    for rule in POST_ONLY:
        want = expected(ACCESS[rule.endpoint], persona)
        got = outcome(client.post(url_for_rule(rule, values), data={}))
        if want in ("login", "403", "404") and got != want:
            wrong.append(f"{rule.endpoint}: expected {want}, got {got}")
        if want == "page" and got in ("login", "403", "404"):
            wrong.append(f"{rule.endpoint}: refused ({got}) someone allowed to use it")
    assert not wrong, "\n".join(wrong)


def test_static_files_are_public(client):
    for url in ("/static/css/app.css", "/nhsuk/nhsuk-frontend.min.css", "/assets/images/favicon.ico"):
        with client.get(url) as response:
            assert response.status_code == 200, url
