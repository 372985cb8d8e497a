"""Cohorts: the list, creating one, its page (members and details), adding many people at
once, its join code, and removing a member or deleting it (confirmed in words, with a reason)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

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
from lms.templating import with_article


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
            flash(f"Cohort {cohort.name} created. Now add its facilitators and learners.", "success")
            return redirect(url_for("people.cohort", cohort_id=cohort.id))
    return render_template("people/cohort_new.html", form=form)


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
                flash("Cohort details saved.", "success")
            else:
                user = service.add_cohort_member(
                    current_user, cohort_id, member_form.email.data, CohortRole(member_form.role.data)
                )
                flash(f"{user.display_name} added as {with_article(member_form.role.data)}.", "success")
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
    """A new join code, chosen or made: the old code and its link stop working."""
    record = cohorts.get_cohort(cohort_id)
    old = record.join_code
    form = JoinCodeForm()
    if form.validate_on_submit():
        try:
            record = service.change_join_code(current_user, cohort_id, form.join_code.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(f"The join code of {record.name} is now {record.join_code}.", "success")
            return redirect(url_for("people.cohort", cohort_id=cohort_id))
    return render_template(
        "people/cohort_code.html", cohort=record, old=old, form=form, consequences=consequences.new_code(record)
    ), 400 if form.errors else 200


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
        role_name="facilitators" if form.role.data == CohortRole.FACILITATOR.value else "learners",
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
            f"Remove {user.display_name} from {record.name}?",
            consequences.removal(user, role, record),
            "Remove from cohort",
        )

    def act(reason: str) -> str:
        removed = service.remove_cohort_member(current_user, cohort_id, user_id, reason)
        return f"{removed.display_name} removed from the cohort."

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
            f"Delete the cohort {record.name}?",
            consequences.deletion(record, roles.count(CohortRole.LEARNER), roles.count(CohortRole.FACILITATOR)),
            "Delete cohort",
        )

    def act(reason: str) -> str:
        name = service.delete_cohort(current_user, cohort_id, reason)
        return f"Cohort {name} deleted. Its people stay on the course."

    return confirmed(
        check=always,
        words=words,
        act=act,
        back=url_for("people.cohort", cohort_id=cohort_id),
        done=url_for("people.cohort_list"),
        current="people.cohort_list",
    )
