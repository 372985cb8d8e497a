from __future__ import annotations

import yaml
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice as Choice

from lms import unsent
from lms.accounts.access import role_required
from lms.accounts.models import Role
from lms.authoring import service
from lms.authoring.forms import NEW_STEP_BOX, STEP_BOX, ModuleForm, MoveForm, NewModuleForm, NewStepForm, StepForm
from lms.content import revisions, structure
from lms.content import service as content
from lms.content.markdown import render_course_markdown, too_long
from lms.content.revisions import StepDraft
from lms.errors import DomainError
from lms.forms import EmptyForm, ReasonForm, attach_error
from lms.inputs import parse_int, query_int
from lms.security import keeps_input
from lms.templating import counted
from lms.unsent import keeps_when_signed_out

bp = Blueprint("authoring", __name__, url_prefix="/admin/course")
admin_only = role_required(Role.ADMIN)
STEP_FIELDS = {
    "title": "title",
    "type": "type",
    "duration": "duration",
    "prompt": "prompt",
    "video": "video",
    "body": "body",
    "activity": "activity",
}


@bp.get("/")
@admin_only
def overview():
    outline = content.get_outline(include_drafts=True) or abort(404)
    return render_template(
        "authoring/overview.html",
        outline=outline,
        form=EmptyForm(),
        states=structure.step_states([s.id for s in outline.steps]),
    )


def _draft(form: StepForm, activity_slug: str) -> StepDraft | None:
    """The form as a draft, or None with the settings field marked if its YAML is broken."""
    try:
        settings = yaml.safe_load(form.settings.data or "") or {}
        if not isinstance(settings, dict):
            raise yaml.YAMLError("the settings must be 'field: value' lines")
    except yaml.YAMLError as error:
        form.settings.errors = [f"This is not valid YAML: {error}"]
        return None
    return StepDraft(
        form.title.data.strip(),
        form.type.data,
        activity_slug,
        form.duration.data,
        (form.prompt.data or "").strip() or None,
        (form.video.data or "").strip() or None,
        settings,
        (form.body.data or "").strip() + "\n",
    )


def _show_problems(form, problems) -> None:
    """Put each content-rule problem beside the field it is about (settings get the rest)."""
    for problem in problems:
        top = problem.field.split(".")[0]
        field = getattr(form, STEP_FIELDS.get(top, "settings"), None) or form.settings
        message = problem.message if top in STEP_FIELDS else f"{problem.field}: {problem.message}"
        field.errors = [*field.errors, message]


def _fill(form: StepForm, draft: StepDraft) -> None:
    form.title.data, form.type.data, form.duration.data = draft.title, draft.type, draft.duration
    form.prompt.data, form.video.data, form.body.data = draft.prompt, draft.video_url, draft.body_md
    form.settings.data = yaml.safe_dump(draft.settings, sort_keys=False, allow_unicode=True) if draft.settings else ""


def _base_revision(form: StepForm) -> int:
    """The revision the editor started from; anything that is not one conflicts with every revision."""
    number = parse_int(form.base_revision.data)
    return -1 if number is None else number


@bp.route("/steps/<int:step_id>", methods=["GET", "POST"])
@keeps_when_signed_out(STEP_BOX)
@admin_only
@keeps_input
def edit_step(step_id: int):
    step = structure.get_step(step_id)
    newest = revisions.latest(step)
    current = revisions.draft_of(newest) if newest else revisions.draft_of_step(step)
    form = StepForm()
    if request.method == "GET":
        _fill(form, current)
        form.base_revision.data = step.revision
        unsent.put_back(form, STEP_BOX)
    preview, status = None, 200
    if form.validate_on_submit() and (draft := _draft(form, current.activity_slug)):
        if "preview" in request.form:
            preview = render_course_markdown(draft.body_md)
        else:
            try:
                revision = service.save_step(current_user, step.id, draft, _base_revision(form))
            except service.DraftInvalid as error:
                _show_problems(form, error.problems)
            except revisions.EditConflict as error:
                attach_error(form, error)
                status = 409
            except DomainError as error:
                attach_error(form, error)
            else:
                flash(
                    f"Saved as revision {revision.number}."
                    + ("" if not step.published else " Learners will see it when you publish."),
                    "success",
                )
                return redirect(url_for("authoring.edit_step", step_id=step.id))
    return render_template(
        "authoring/step.html",
        step=step,
        form=form,
        preview=preview,
        actions=EmptyForm(),
        move_form=_move_form(step),
        history=revisions.history(step),
    ), status


def _move_form(step) -> MoveForm:
    form = MoveForm(prefix="move")
    form.activity.choices = [Choice(a.slug, a.title) for a in structure.activities_of(step.module_id)]
    return form


@bp.route("/modules/<int:module_id>/steps/new", methods=["GET", "POST"])
@keeps_when_signed_out(NEW_STEP_BOX)
@admin_only
@keeps_input
def new_step(module_id: int):
    module = structure.get_module(module_id)
    form = NewStepForm()
    form.activity.choices = [Choice(a.slug, a.title) for a in structure.activities_of(module.id)]
    unsent.put_back(form, NEW_STEP_BOX)
    preview = None
    if form.validate_on_submit() and (draft := _draft(form, form.activity.data)):
        if "preview" in request.form:
            preview = render_course_markdown(draft.body_md)
        else:
            try:
                step = service.create_step(current_user, module.id, form.slug.data, draft)
            except service.DraftInvalid as error:
                _show_problems(form, error.problems)
            except DomainError as error:
                attach_error(form, error)
            else:
                flash("Step created as a draft. Publish it when it is ready.", "success")
                return redirect(url_for("authoring.edit_step", step_id=step.id))
    return render_template("authoring/step_new.html", module=module, form=form, preview=preview)


@bp.post("/steps/<int:step_id>/<any(publish, up, down):action>")
@admin_only
def step_action(step_id: int, action: str):
    if not EmptyForm().validate_on_submit():
        abort(400)
    if action == "publish":
        service.publish_step(current_user, step_id)
        flash("Published: learners now see this version.", "success")
    else:
        service.move_step(current_user, step_id, -1 if action == "up" else 1)
        return redirect(url_for("authoring.overview") + f"#step-{step_id}")
    return redirect(
        request.form.get("back") == "overview"
        and url_for("authoring.overview")
        or url_for("authoring.edit_step", step_id=step_id)
    )


def _confirm(form: ReasonForm, **page):
    """The confirmation page of a risky action (400 when its form was refused)."""
    return render_template("confirm.html", form=form, current="authoring.overview", **page), 400 if form.errors else 200


@bp.route("/steps/<int:step_id>/unpublish", methods=["GET", "POST"])
@admin_only
@keeps_input
def unpublish_step(step_id: int):
    """Say what unpublishing the step does, and do it when the admin gives a reason."""
    step = structure.get_step(step_id)
    back = url_for("authoring.edit_step", step_id=step.id)
    if not step.published:
        flash("This step is not published.", "error")
        return redirect(back)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            service.unpublish_step(current_user, step.id, form.reason.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash("Unpublished: learners no longer see this step.", "success")
            return redirect(back)
    number = service.step_number(step.id)
    return _confirm(
        form,
        heading=f"Unpublish step {number}, {step.title}?",
        consequences=[
            f"Learners will no longer see step {number}, {step.title}, in the course or on their to-do list.",
            "Its comments and what learners did on it are kept, and come back when you publish it again.",
        ],
        button="Unpublish step",
        cancel=back,
    )


@bp.post("/steps/<int:step_id>/activity")
@admin_only
def move_step(step_id: int):
    form = _move_form(structure.get_step(step_id))
    if not form.validate_on_submit():
        abort(400)
    service.move_to_activity(current_user, step_id, form.activity.data)
    flash("Step moved.", "success")
    return redirect(url_for("authoring.edit_step", step_id=step_id))


@bp.get("/steps/<int:step_id>/revisions/compare")
@admin_only
def compare(step_id: int):
    step = structure.get_step(step_id)
    old = revisions.get_revision(step, query_int("old", 0, minimum=0))
    new = revisions.get_revision(step, query_int("new") or step.revision)
    return render_template("authoring/compare.html", step=step, old=old, new=new, changes=revisions.diff(old, new))


@bp.post("/steps/<int:step_id>/revisions/<int:number>/restore")
@admin_only
def restore(step_id: int, number: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    revision = service.restore_revision(current_user, step_id, number)
    flash(f"Revision {number} restored as revision {revision.number}.", "success")
    return redirect(url_for("authoring.edit_step", step_id=step_id))


@bp.post("/preview")
@admin_only
def preview():
    """The body rendered as learners will see it: for the editor's live preview."""
    body = request.form.get("body", "")
    if problem := too_long(body):  # refused before parsing, as saving it would be
        return render_template("authoring/_preview.html", too_long=problem)
    return render_template("authoring/_preview.html", html=render_course_markdown(body))


def _module_fields(form: ModuleForm) -> service.ModuleFields | None:
    pairs = []
    for number, line in enumerate((form.activities.data or "").splitlines(), start=1):
        if line.strip():
            slug, colon, title = line.partition(":")
            if not colon or not title.strip():
                form.activities.errors = [f"Line {number}: write it as web-address-name: Title"]
                return None
            pairs.append((slug.strip(), title.strip()))
    return service.ModuleFields(
        form.title.data.strip(),
        form.summary.data.strip(),
        form.hours.data,
        form.introduction.data.strip() + "\n",
        pairs,
    )


def _module_problems(form: ModuleForm, problems) -> None:
    for problem in problems:
        name = problem.field.split(".")[0] if problem.field else "title"
        field = getattr(form, {"body": "introduction"}.get(name, name), form.title)
        field.errors = [
            *field.errors,
            problem.message if "." not in problem.field else f"{problem.field}: {problem.message}",
        ]


@bp.route("/modules/<int:module_id>", methods=["GET", "POST"])
@admin_only
@keeps_input
def edit_module(module_id: int):
    module = structure.get_module(module_id)
    form = ModuleForm(obj=module)
    if request.method == "GET":
        form.introduction.data = module.introduction_md
        form.activities.data = "\n".join(f"{a.slug}: {a.title}" for a in structure.activities_of(module.id))
    if form.validate_on_submit() and (fields := _module_fields(form)):
        try:
            service.save_module(current_user, module.id, fields)
        except service.DraftInvalid as error:
            _module_problems(form, error.problems)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash("Module saved.", "success")
            return redirect(url_for("authoring.overview"))
    return render_template("authoring/module.html", module=module, form=form, actions=EmptyForm())


@bp.route("/modules/new", methods=["GET", "POST"])
@admin_only
@keeps_input
def new_module():
    outline = content.get_outline(include_drafts=True) or abort(404)
    form = NewModuleForm()
    if form.validate_on_submit() and (fields := _module_fields(form)):
        try:
            module = service.create_module(current_user, outline.course.id, form.slug.data, fields)
        except service.DraftInvalid as error:
            _module_problems(form, error.problems)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash("Module created as a draft. Add its steps, then publish it.", "success")
            return redirect(url_for("authoring.edit_module", module_id=module.id))
    return render_template("authoring/module.html", module=None, form=form, actions=EmptyForm())


@bp.post("/modules/<int:module_id>/publish")
@admin_only
def module_action(module_id: int):
    """Publish a module (unpublishing has its own confirmation page)."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    service.publish_module(current_user, module_id)
    flash("Module published.", "success")
    return redirect(url_for("authoring.overview"))


@bp.route("/modules/<int:module_id>/unpublish", methods=["GET", "POST"])
@admin_only
@keeps_input
def unpublish_module(module_id: int):
    module = structure.get_module(module_id)
    back = url_for("authoring.overview")
    if not module.published:
        flash("This module is not published.", "error")
        return redirect(back)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            service.unpublish_module(current_user, module.id, form.reason.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(f"Module unpublished: learners no longer see {module.title}.", "success")
            return redirect(back)
    number = service.module_number(module.id)
    steps = len(structure.ordered_steps(module.id))
    return _confirm(
        form,
        heading=f"Unpublish module {number}, {module.title}?",
        consequences=[
            f"Learners will no longer see module {number}, {module.title}, or any of its {counted(steps, 'step')}.",
            "What learners did in it (progress, answers and comments) is kept, and comes back when you publish it again.",
        ],
        button="Unpublish module",
        cancel=back,
    )
