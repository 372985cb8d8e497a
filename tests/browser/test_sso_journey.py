"""Single sign-on in a real browser: from the sign-in page to the organisation's provider (a
real OpenID Connect server in the test process) and back, signed in to a new account; then
an admin leaves password sign-in to admins, and the page offers only the button. Audited by axe."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import serving
from tests.browser.pages import main, sign_in
from tests.factories import make_user


def test_sign_in_with_the_organisation_then_passwords_for_admins_only(
    browser, sso_app, oidc_provider, smtp_server, axe_check
):
    app = sso_app(WTF_CSRF_ENABLED=True)
    with serving(app, smtp_server) as live_server:
        oidc_provider.client.redirect_uris = [live_server("/sso/callback")]
        with app.app_context():
            make_user(email="ada@example.org", display_name="Ada Admin", role="admin")

        page = browser.new_context(locale="en-GB", bypass_csp=True).new_page()
        page.goto(live_server("/login"))
        axe_check(page)
        page.get_by_role("link", name="Sign in with NHSmail").click()
        # The provider signs Sam in without a page of its own, and sends the browser back (to
        # the course page: Sam has not joined yet).
        expect(page).to_have_url(live_server("/"))
        expect(page.get_by_role("link", name="Sam Staff (your account)")).to_be_visible()
        page.get_by_role("button", name="Sign out", exact=True).click()

        # An admin turns password sign-in off for everyone else.
        admin = browser.new_context(locale="en-GB", bypass_csp=True).new_page()
        sign_in(admin, live_server, "ada@example.org")
        admin.goto(live_server("/admin/sign-in"))
        expect(main(admin)).to_contain_text(live_server("/sso/callback"))
        axe_check(admin)
        admin.get_by_label("Only administrators sign in with a password").check()
        admin.get_by_role("button", name="Save sign-in settings").click()
        expect(main(admin)).to_contain_text("The sign-in settings have been saved.")

        page.goto(live_server("/login"))
        expect(page.get_by_label("Password", exact=True)).to_have_count(0)
        expect(page.get_by_role("link", name="Administrators: sign in with a password")).to_be_visible()
        axe_check(page)
        page.get_by_role("link", name="Sign in with NHSmail").click()
        expect(page.get_by_role("link", name="Sam Staff (your account)")).to_be_visible()
