from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from lms.accounts import service as accounts
from lms.accounts.access import role_required
from lms.accounts.models import Role
from lms.cohorts import service as cohorts
from lms.cohorts.models import CohortRole, Pace
from lms.content import service as content
from lms.errors import DomainError
from lms.forms import EmptyForm, ReasonForm, attach_error
from lms.inputs import query_int
from lms.mail import service as mail_service
from lms.people import consequences, service
from lms.people.forms import CohortForm, ManyMembersForm, MemberForm, RoleForm, SearchForm
from lms.security import keeps_input
from lms.templating import with_article

bp = Blueprint("people", __name__, url_prefix="/admin")
admin_only = role_required(Role.ADMIN)


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


def _confirm(form: ReasonForm, **page):
    """The confirmation page of a risky action (400 when its form was refused)."""
    return render_template("confirm.html", form=form, **page), 400 if form.errors else 200


@bp.route("/people/<int:user_id>/role", methods=["GET", "POST"])
@admin_only
@keeps_input
def change_role(user_id: int):
    """Confirm a role change (the person page's role form leads here), then make it."""
    user = accounts.get_user(user_id)
    back = url_for("people.person", user_id=user.id)
    try:
        role = Role(request.values.get("role", ""))
        service.check_role_change(current_user, user, role)
    except ValueError:
        flash("Choose a role", "error")
        return redirect(back)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(back)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            service.change_role(current_user, user.id, role, form.reason.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(f"{user.display_name} is now {with_article(role.value)}.", "success")
            return redirect(back)
    return _confirm(
        form,
        heading=f"Make {user.display_name} {with_article(role.value)}?",
        consequences=consequences.role_change(user, role),
        button="Change role",
        cancel=back,
        current="people.people",
        hidden={"role": role.value},
    )


@bp.route("/people/<int:user_id>/deactivate", methods=["GET", "POST"])
@admin_only
@keeps_input
def deactivate(user_id: int):
    user = accounts.get_user(user_id)
    back = url_for("people.person", user_id=user.id)
    try:
        service.check_deactivate(current_user, user)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(back)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            service.deactivate(current_user, user.id, form.reason.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(f"{user.display_name}'s account is deactivated.", "success")
            return redirect(back)
    return _confirm(
        form,
        heading=f"Deactivate {user.display_name}'s account?",
        consequences=consequences.deactivation(user),
        button="Deactivate account",
        cancel=back,
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
    flash(f"{user.display_name}'s account is active again.", "success")
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
        flash(f"A link to set a new password is on its way to {user.email}. It works for 1 hour.", "success")
    return redirect(url_for("people.person", user_id=user_id))


@bp.get("/mail")
@admin_only
def mail():
    before = request.args.get("before", type=int)
    messages = mail_service.failed(before)
    return render_template(
        "people/mail.html",
        summaries=mail_service.summaries(),
        messages=messages,
        more=messages[-1].id if len(messages) == mail_service.PAGE_SIZE else None,
        action=EmptyForm(),
    )


@bp.post("/mail/retry")
@admin_only
def retry_mail():
    if not EmptyForm().validate_on_submit():
        abort(400)
    ids = [int(i) for i in request.form.getlist("message") if i.isdigit() and len(i) < 10]
    count = service.retry_failed_mail(current_user, ids)
    flash(f"{count} message{'s' if count != 1 else ''} will be sent again.", "success")  # mail or statements
    return redirect(url_for("people.mail"))


@bp.post("/mail/test")
@admin_only
def test_mail():
    if not EmptyForm().validate_on_submit():
        abort(400)
    service.send_test_mail(current_user)
    flash(f"A test message is on its way to {current_user.email}.", "success")
    return redirect(url_for("people.mail"))


@bp.get("/cohorts")
@admin_only
def cohort_list():
    return render_template("people/cohorts.html", cohorts=cohorts.list_cohorts())


@bp.route("/cohorts/new", methods=["GET", "POST"])
@admin_only
@keeps_input
def new_cohort():
    form = CohortForm()
    if request.method == "GET":
        form.join_code.data = cohorts.new_join_code()
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
                    form.join_code.data,
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
        no_link=cohorts.invite_why_not(record, CohortRole.LEARNER),
    )


@bp.route("/cohorts/<int:cohort_id>/members/<int:user_id>/remove", methods=["GET", "POST"])
@admin_only
@keeps_input
def remove_member(cohort_id: int, user_id: int):
    record = cohorts.get_cohort(cohort_id)
    member = next(((u, r) for u, r in cohorts.members_of(cohort_id) if u.id == user_id), None) or abort(404)
    back = url_for("people.cohort", cohort_id=cohort_id)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            user = service.remove_cohort_member(current_user, cohort_id, user_id, form.reason.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(f"{user.display_name} removed from the cohort.", "success")
            return redirect(back)
    return _confirm(
        form,
        heading=f"Remove {member[0].display_name} from {record.name}?",
        consequences=consequences.removal(member[0], member[1], record),
        button="Remove from cohort",
        cancel=back,
        current="people.cohort_list",
    )


@bp.route("/cohorts/<int:cohort_id>/delete", methods=["GET", "POST"])
@admin_only
@keeps_input
def delete_cohort(cohort_id: int):
    record = cohorts.get_cohort(cohort_id)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            name = service.delete_cohort(current_user, cohort_id, form.reason.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(f"Cohort {name} deleted. Its people stay on the course.", "success")
            return redirect(url_for("people.cohort_list"))
    roles = [role for _, role in cohorts.members_of(cohort_id)]
    return _confirm(
        form,
        heading=f"Delete the cohort {record.name}?",
        consequences=consequences.deletion(
            record, roles.count(CohortRole.LEARNER), roles.count(CohortRole.FACILITATOR)
        ),
        button="Delete cohort",
        cancel=url_for("people.cohort", cohort_id=cohort_id),
        current="people.cohort_list",
    )
