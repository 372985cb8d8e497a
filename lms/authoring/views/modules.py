"""The course outline and its modules: edit, create, publish, unpublish (confirmed, with a reason)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from lms.authoring import service
from lms.authoring.forms import ModuleForm, ModuleTranslationForm, NewModuleForm
from lms.authoring.views import admin_only, bp
from lms.authoring.views.steps import edit_language
from lms.confirmations import Words, confirmed
from lms.content import revisions, structure
from lms.content import service as content
from lms.errors import DomainError, InvalidInput
from lms.forms import EmptyForm, attach_error
from lms.security import keeps_input


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


def _module_fields(form: ModuleForm | ModuleTranslationForm) -> service.ModuleFields | None:
    pairs = []
    for number, line in enumerate((form.activities.data or "").splitlines(), start=1):
        if line.strip():
            slug, colon, title = line.partition(":")
            if not colon or not title.strip():
                form.activities.errors = [_("Line %(number)s: write it as web-address-name: Title", number=number)]
                return None
            pairs.append((slug.strip(), title.strip()))
    return service.ModuleFields(
        form.title.data.strip(),
        form.summary.data.strip(),
        form.hours.data if isinstance(form, ModuleForm) else 0,  # a translation's are the English's
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
    """A module's fields, in English or (`?language=cy`) for its Welsh version."""
    module = structure.get_module(module_id)
    language = edit_language()
    if language != revisions.ENGLISH:
        return _edit_module_translation(module, language)
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
            flash(_("Module saved."), "success")
            return redirect(url_for("authoring.overview"))
    return render_template("authoring/module.html", module=module, form=form, actions=EmptyForm(), language=language)


def _edit_module_translation(module, language: str):
    form = ModuleTranslationForm()
    if request.method == "GET":
        words = service.module_translation(module.id, language)
        english = service.english_module_fields(module)
        titles = {a["slug"]: a["title"] for a in (words.activities if words else [])}
        form.title.data = words.title if words else english.title
        form.summary.data = words.summary if words else english.summary
        form.introduction.data = words.introduction_md if words else english.introduction
        form.activities.data = "\n".join(f"{slug}: {titles.get(slug, title)}" for slug, title in english.activities)
    if form.validate_on_submit() and (fields := _module_fields(form)):
        try:
            service.save_module_translation(current_user, module.id, language, fields)
        except service.DraftInvalid as error:
            _module_problems(form, error.problems)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Welsh version of the module saved."), "success")
            return redirect(url_for("authoring.overview"))
    return render_template(
        "authoring/module.html",
        module=module,
        form=form,
        actions=EmptyForm(),
        language=language,
        has_translation=service.module_translation(module.id, language) is not None,
    ), 400 if form.errors else 200


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
            flash(_("Module created as a draft. Add its steps, then publish it."), "success")
            return redirect(url_for("authoring.edit_module", module_id=module.id))
    return render_template("authoring/module.html", module=None, form=form, actions=EmptyForm(), language="en")


@bp.post("/modules/<int:module_id>/publish")
@admin_only
def module_action(module_id: int):
    """Publish a module (unpublishing has its own confirmation page)."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    service.publish_module(current_user, module_id)
    flash(_("Module published."), "success")
    return redirect(url_for("authoring.overview"))


@bp.route("/modules/<int:module_id>/unpublish", methods=["GET", "POST"])
@admin_only
@keeps_input
def unpublish_module(module_id: int):
    module = structure.get_module(module_id)

    def check():
        if not module.published:
            raise InvalidInput(_("This module is not published."))

    def words():
        number = service.module_number(module.id)
        steps = len(structure.ordered_steps(module.id))
        return Words(
            _("Unpublish module %(number)s, %(title)s?", number=number, title=module.title),
            [
                ngettext(
                    "Learners will no longer see module %(number)s, %(title)s, or any of its %(num)d step.",
                    "Learners will no longer see module %(number)s, %(title)s, or any of its %(num)d steps.",
                    steps,
                    number=number,
                    title=module.title,
                ),
                _(
                    "What learners did in it (progress, answers and comments) is kept, "
                    "and comes back when you publish it again."
                ),
            ],
            _("Unpublish module"),
        )

    def act(reason: str) -> str:
        service.unpublish_module(current_user, module.id, reason)
        return _("Module unpublished: learners no longer see %(title)s.", title=module.title)

    return confirmed(
        check=check, words=words, act=act, back=url_for("authoring.overview"), current="authoring.overview"
    )
