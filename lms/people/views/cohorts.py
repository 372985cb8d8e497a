"""Cohorts: the list, creating one, its page (members and details), adding many people at
once, its join code, and removing a member or deleting it (confirmed in words, with a reason)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from lms.accounts import service as accounts
from lms.cohorts import joining
from lms.cohorts import service as cohorts
from lms.cohorts.models import CohortRole, Pace
from lms.confirmations import Words, always, confirmed
from lms.content import service as content
from lms.errors import DomainError
from lms.forms import EmptyForm, attach_error
from lms.people import consequences, service
from lms.people.forms import CohortForm, JoinCodeForm, ManyMembersForm, MemberForm, NewCohortForm
from lms.people.views import admin_only, bp
from lms.security import keeps_input


@bp.get("/cohorts")
@admin_only
def cohort_list():
    return render_template("people/cohorts.html", cohorts=cohorts.list_cohorts())


@bp.route("/cohorts/new", methods=["GET", "POST"])
@admin_only
@keeps_input
def new_cohort():
    form = NewCohortForm()
    if form.validate_on_submit():
        outline = content.get_outline(include_drafts=True) or abort(404)
        try:
            cohort = service.create_cohort(
                current_user,
                outline.course.id,
                form.name.data,
                form.starts_on.data,
                form.join_code.data,
                Pace(form.pace.data),
                form.ends_on.data,
            )
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Cohort %(name)s created. Now add its facilitators and learners.", name=cohort.name), "success")
            return redirect(url_for("people.cohort", cohort_id=cohort.id))
    return render_template("people/cohort_new.html", form=form)


def added_as(name: str, role: CohortRole) -> str:
    """'Priya Ward added as a facilitator.': one sentence per role."""
    if role == CohortRole.FACILITATOR:
        return _("%(name)s added as a facilitator.", name=name)
    return _("%(name)s added as a learner.", name=name)


@bp.route("/cohorts/<int:cohort_id>", methods=["GET", "POST"])
@admin_only
@keeps_input
def cohort(cohort_id: int):
    record = cohorts.get_cohort(cohort_id)
    form = CohortForm(prefix="cohort", obj=record)
    member_form = MemberForm(prefix="member")
    submitted = form if "cohort-submit" in request.form else member_form
    if request.method == "POST" and submitted.validate_on_submit():
        try:
            if submitted is form:
                service.update_cohort(
                    current_user,
                    cohort_id,
                    form.name.data,
                    form.starts_on.data,
                    Pace(form.pace.data),
                    form.ends_on.data,
                )
                flash(_("Cohort details saved."), "success")
            else:
                user = service.add_cohort_member(
                    current_user, cohort_id, member_form.email.data, CohortRole(member_form.role.data)
                )
                flash(added_as(user.display_name, CohortRole(member_form.role.data)), "success")
            return redirect(url_for("people.cohort", cohort_id=cohort_id))
        except DomainError as error:
            attach_error(submitted, error)
    return render_template(
        "people/cohort.html",
        cohort=record,
        form=form,
        member_form=member_form,
        members=cohorts.members_of(cohort_id),
        action=EmptyForm(),
        many_form=ManyMembersForm(),
    )


@bp.route("/cohorts/<int:cohort_id>/code", methods=["GET", "POST"])
@admin_only
@keeps_input
def change_code(cohort_id: int):
    """A new join code, chosen or made: the old code and its link stop working. Confirmed on
    the page every risky action uses, which asks for the code instead of a reason."""
    record = cohorts.get_cohort(cohort_id)
    old = record.join_code

    def words():
        lede = None
        if old:
            lede = Markup(_('The join code now is <code class="lms-code"><strong>%(code)s</strong></code>.')) % {
                "code": old
            }
        return Words(
            _("Change the join code of %(name)s", name=record.name)
            if old
            else _("Set the join code of %(name)s", name=record.name),
            consequences.new_code(record),
            _("Change code") if old else _("Set code"),
            lede=lede,
            warning=False,
        )

    def act(join_code: str | None) -> str:
        changed = service.change_join_code(current_user, cohort_id, join_code)
        return _("The join code of %(name)s is now %(code)s.", name=changed.name, code=changed.join_code)

    back = url_for("people.cohort", cohort_id=cohort_id)
    return confirmed(
        check=always,
        words=words,
        act=act,
        back=back,
        current="people.cohort_list",
        form=JoinCodeForm(),
        answer="join_code",
    )


@bp.route("/cohorts/<int:cohort_id>/add-many", methods=["GET", "POST"])
@admin_only
@keeps_input
def add_many(cohort_id: int):
    """Paste a list of addresses: a report of who was added, who invited, which lines were not
    addresses (those stay in the box, to fix and send again)."""
    record = cohorts.get_cohort(cohort_id)
    form = ManyMembersForm()
    result = None
    if form.validate_on_submit():
        outline = content.get_outline(include_drafts=True) or abort(404)
        try:
            record, result = service.add_many_to_cohort(
                current_user, cohort_id, form.emails.data, CohortRole(form.role.data), outline.course.title
            )
        except DomainError as error:
            attach_error(form, error)
        else:
            form.emails.data = "\n".join(line for _, line in result.bad)
    return render_template(
        "people/cohort_add_many.html",
        cohort=record,
        form=form,
        result=result,
        as_facilitators=form.role.data == CohortRole.FACILITATOR.value,
        no_link=joining.invite_why_not(record, CohortRole.LEARNER),
    )


@bp.route("/cohorts/<int:cohort_id>/members/<int:user_id>/remove", methods=["GET", "POST"])
@admin_only
@keeps_input
def remove_member(cohort_id: int, user_id: int):
    record = cohorts.get_cohort(cohort_id)
    member = cohorts.membership(cohort_id, user_id) or abort(404)
    user, role = accounts.get_user(user_id), member.role

    def words():
        return Words(
            _("Remove %(name)s from %(cohort)s?", name=user.display_name, cohort=record.name),
            consequences.removal(user, role, record),
            _("Remove from cohort"),
        )

    def act(reason: str) -> str:
        removed = service.remove_cohort_member(current_user, cohort_id, user_id, reason)
        return _("%(name)s removed from the cohort.", name=removed.display_name)

    back = url_for("people.cohort", cohort_id=cohort_id)
    return confirmed(check=always, words=words, act=act, back=back, current="people.cohort_list")


@bp.route("/cohorts/<int:cohort_id>/delete", methods=["GET", "POST"])
@admin_only
@keeps_input
def delete_cohort(cohort_id: int):
    record = cohorts.get_cohort(cohort_id)

    def words():
        roles = [role for _, role in cohorts.members_of(cohort_id)]
        return Words(
            _("Delete the cohort %(name)s?", name=record.name),
            consequences.deletion(record, roles.count(CohortRole.LEARNER), roles.count(CohortRole.FACILITATOR)),
            _("Delete cohort"),
        )

    def act(reason: str) -> str:
        name = service.delete_cohort(current_user, cohort_id, reason)
        return _("Cohort %(name)s deleted. Its people stay on the course.", name=name)

    return confirmed(
        check=always,
        words=words,
        act=act,
        back=url_for("people.cohort", cohort_id=cohort_id),
        done=url_for("people.cohort_list"),
        current="people.cohort_list",
    )
