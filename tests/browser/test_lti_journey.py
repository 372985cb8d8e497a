"""An LTI 1.3 launch in a real browser: an admin registers the platform (a real one in the
test process) from the tool's configuration page, then a learner on the platform's course
page opens the course and arrives signed in, in the context's cohort, on the step the link
names. Audited by axe."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.pages import main, sign_in
from tests.factories import make_user


def test_an_admin_registers_a_platform_then_a_learner_launches_the_course(
    browser, live_server, lti_platform, axe_check
):
    lti_platform.reset()
    lti_platform.tool_url = live_server.url
    with live_server.app.app_context():
        make_user(email="ada@example.org", display_name="Ada Admin", role="admin")
        from lms.content import service as content

        step = content.get_outline().steps[2]
    lti_platform.custom = {"step": f"{step.module_slug}/{step.slug}"}

    admin = browser.new_context(locale="en-GB", bypass_csp=True).new_page()
    sign_in(admin, live_server, "ada@example.org")
    admin.goto(live_server("/admin/lti"))
    expect(main(admin)).to_contain_text(live_server("/lti/login"))
    axe_check(admin)
    admin.get_by_role("link", name="Register a platform").click()
    axe_check(admin)
    labels = {
        "name": "Name",
        "issuer": "Issuer (platform ID)",
        "client_id": "Client ID",
        "deployment_ids": "Deployment IDs",
        "key_set_url": "Public keyset URL",
        "auth_login_url": "Authentication request URL",
        "auth_token_url": "Access token URL",
    }
    for field, value in lti_platform.registration().items():
        admin.get_by_label(labels[field], exact=True).fill(value)
    admin.get_by_role("button", name="Save platform").click()
    expect(main(admin)).to_contain_text("Trust Moodle is registered.")

    learner = browser.new_context(locale="en-GB", bypass_csp=True).new_page()
    learner.goto(f"{lti_platform.issuer}/course")
    learner.get_by_role("button", name="Open the leadership course").click()
    expect(learner).to_have_url(live_server(f"/steps/{step.module_slug}/{step.slug}"))
    expect(learner.get_by_role("link", name="Rowan Learner (your account)")).to_be_visible()
    expect(learner.get_by_role("heading", level=1)).to_contain_text(step.title)
    axe_check(learner)
