"""People and their accounts: search, a person's page, role changes and deactivation (each
confirmed in words, with a reason), reactivation and password links."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.accounts import service as accounts
from lms.accounts.models import Role
from lms.cohorts import service as cohorts
from lms.confirmations import Words, confirmed
from lms.errors import DomainError, InvalidInput
from lms.forms import EmptyForm
from lms.inputs import query_int
from lms.people import consequences, service
from lms.people.forms import RoleForm, SearchForm
from lms.people.views import admin_only, bp
from lms.security import keeps_input


@bp.get("/people")
@admin_only
def people():
    form = SearchForm(request.args)
    role = Role(form.role.data) if form.validate() and form.role.data else None
    page = accounts.search_users(form.q.data or "", role, page=query_int("page", 1))
    return render_template("people/people.html", form=form, page=page)


@bp.get("/people/<int:user_id>")
@admin_only
def person(user_id: int):
    user = accounts.get_user(user_id)
    return render_template(
        "people/person.html",
        user=user,
        form=RoleForm(role=user.role.value),
        action=EmptyForm(),
        memberships=cohorts.cohorts_of(user.id),
    )


def make_question(name: str, role: Role) -> str:
    """'Make Priya Ward an admin?': one sentence per role."""
    return {
        Role.LEARNER: lambda: _("Make %(name)s a learner?", name=name),
        Role.FACILITATOR: lambda: _("Make %(name)s a facilitator?", name=name),
        Role.ADMIN: lambda: _("Make %(name)s an admin?", name=name),
    }[role]()


def now_message(name: str, role: Role) -> str:
    """'Priya Ward is now an admin.'"""
    return {
        Role.LEARNER: lambda: _("%(name)s is now a learner.", name=name),
        Role.FACILITATOR: lambda: _("%(name)s is now a facilitator.", name=name),
        Role.ADMIN: lambda: _("%(name)s is now an admin.", name=name),
    }[role]()


@bp.route("/people/<int:user_id>/role", methods=["GET", "POST"])
@admin_only
@keeps_input
def change_role(user_id: int):
    """Confirm a role change (the person page's role form leads here), then make it."""
    user = accounts.get_user(user_id)
    role = next((r for r in Role if r.value == request.values.get("role")), None)

    def check():
        if role is None:
            raise InvalidInput(_("Choose a role"))
        service.check_role_change(current_user, user, role)

    def words():
        return Words(
            make_question(user.display_name, role),
            consequences.role_change(user, role),
            _("Change role"),
            hidden={"role": role.value},
        )

    def act(reason: str) -> str:
        service.change_role(current_user, user.id, role, reason)
        return now_message(user.display_name, role)

    back = url_for("people.person", user_id=user.id)
    return confirmed(check=check, words=words, act=act, back=back, current="people.people")


@bp.route("/people/<int:user_id>/deactivate", methods=["GET", "POST"])
@admin_only
@keeps_input
def deactivate(user_id: int):
    user = accounts.get_user(user_id)

    def words():
        return Words(
            _("Deactivate %(name)s's account?", name=user.display_name),
            consequences.deactivation(user),
            _("Deactivate account"),
        )

    def act(reason: str) -> str:
        service.deactivate(current_user, user.id, reason)
        return _("%(name)s's account is deactivated.", name=user.display_name)

    return confirmed(
        check=lambda: service.check_deactivate(current_user, user),
        words=words,
        act=act,
        back=url_for("people.person", user_id=user.id),
        current="people.people",
    )


@bp.post("/people/<int:user_id>/active")
@admin_only
def set_active(user_id: int):
    """Reactivate at once; deactivating goes through its confirmation page instead."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    if request.form.get("active") != "1":
        return redirect(url_for("people.deactivate", user_id=user_id))
    user = service.reactivate(current_user, user_id)
    flash(_("%(name)s's account is active again.", name=user.display_name), "success")
    return redirect(url_for("people.person", user_id=user_id))


@bp.post("/people/<int:user_id>/reset-link")
@admin_only
def send_reset_link(user_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        user = service.send_reset_link(current_user, user_id)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(
            _("A link to set a new password is on its way to %(email)s. It works for 1 hour.", email=user.email),
            "success",
        )
    return redirect(url_for("people.person", user_id=user_id))
