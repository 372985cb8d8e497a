"""The step editor: only the fields the step's type uses, a preview beside the body, and
Save, Preview and Publish kept in reach; saves that race another are refused as stale."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice as Choice

from lms import unsent
from lms.authoring import service
from lms.authoring.forms import (
    NEW_STEP_BOX,
    STEP_BOX,
    MoveForm,
    NewStepForm,
    StepForm,
    StepTranslationForm,
    size_problem,
    step_page,
)
from lms.authoring.views import admin_only, bp
from lms.content import revisions, structure
from lms.content.files import TRANSLATED
from lms.content.markdown import render_course_markdown
from lms.content.revisions import StepDraft
from lms.errors import DomainError
from lms.forms import EmptyForm, attach_error
from lms.inputs import parse_int, query_int
from lms.security import keeps_input
from lms.unsent import keeps_when_signed_out

# Where a content-rule problem about a front-matter field is shown (the rest: the YAML box).
STEP_FIELDS = {
    name: name
    for name in ("title", "type", "duration", "prompt", "reveal", "video", "see_also", "printable", "body", "activity")
}
UNSAVED = _l("You have changes that are not saved. Save them first, then publish: your text is below.")
STALE = _l(
    "Someone else saved this step after you opened it. Your text is below: copy what you "
    "need, then reload the page to see their version."
)


def _yaml_settings(form: StepForm | StepTranslationForm) -> dict | None:
    """The YAML box's settings ({} when the type has none), or None with the box marked if it
    does not parse."""
    if not form.uses("settings"):
        return {}
    try:
        settings = yaml.safe_load(_lines(form.settings.data)) or {}
        if not isinstance(settings, dict):
            raise yaml.YAMLError(_("the settings must be 'field: value' lines"))
    except yaml.YAMLError as error:
        form.settings.errors = [_("This is not valid YAML: %(error)s", error=error)]
        return None
    return settings


def draft_of_form(form: StepForm, activity_slug: str) -> StepDraft | None:
    """The form as a draft of its type (fields the type does not use are left out), or None
    with the YAML box marked if it does not parse."""
    settings = _yaml_settings(form)
    if settings is None:
        return None
    if form.uses("reveal") and form.reveal.data == "after-posting":
        settings = {**settings, "reveal": "after-posting"}
    if form.uses("see_also") and (see_also := _text(form, "see_also")):
        settings = {**settings, "see_also": see_also.split()}
    if form.uses("printable") and form.printable.data:
        settings = {**settings, "printable": True}
    return StepDraft(
        form.title.data.strip(),
        form.type.data,
        activity_slug,
        form.duration.data,
        _text(form, "prompt"),
        _text(form, "video"),
        settings,
        _lines(form.body.data).strip() + "\n",
    )


def translation_of_form(form: StepTranslationForm, english: StepDraft) -> StepDraft | None:
    """The form as the step's version in another language: its words, with what is not words
    (type, activity, duration, and the settings with fields of their own) the English's."""
    settings = _yaml_settings(form)
    if settings is None:
        return None
    own = {k: v for k, v in (english.settings or {}).items() if k in OWN_FIELDS}
    return StepDraft(
        form.title.data.strip(),
        english.type,
        english.activity_slug,
        english.duration,
        _text(form, "prompt"),
        _text(form, "video"),
        {**settings, **own},
        _lines(form.body.data).strip() + "\n",
    )


def _lines(text: str | None) -> str:
    """Browsers send a box's lines ended with CR LF: kept as the files keep them, LF."""
    return (text or "").replace("\r\n", "\n")


def _text(form: StepForm, name: str) -> str | None:
    return (_lines(form[name].data).strip() or None) if form.uses(name) else None


def _show_problems(form, problems) -> None:
    """Put each content-rule problem beside the field it is about (settings get the rest)."""
    for problem in problems:
        top = problem.field.split(".")[0]
        field = getattr(form, STEP_FIELDS.get(top, "settings"), None) or form.settings
        message = problem.message if top in STEP_FIELDS else f"{problem.field}: {problem.message}"
        field.errors = [*field.errors, message]


OWN_FIELDS = ("reveal", "see_also", "printable")  # settings edited in fields of their own, not the YAML


def _fill(form: StepForm | StepTranslationForm, draft: StepDraft) -> None:
    form.title.data = draft.title
    form.prompt.data, form.video.data, form.body.data = draft.prompt, draft.video_url, draft.body_md
    saved = draft.settings or {}
    settings = {k: v for k, v in saved.items() if k not in OWN_FIELDS}  # those have fields of their own
    form.settings.data = yaml.safe_dump(settings, sort_keys=False, allow_unicode=True) if settings else ""
    if isinstance(form, StepForm):  # a translation's are the English step's
        form.type.data, form.duration.data = draft.type, draft.duration
        form.reveal.data = saved.get("reveal", "always")
        form.see_also.data = "\n".join(saved.get("see_also") or [])
        form.printable.data = bool(saved.get("printable"))


def _base_revision(form: StepForm) -> int:
    """The revision the editor started from; anything that is not one conflicts with every revision."""
    number = parse_int(form.base_revision.data)
    return -1 if number is None else number


def _same(draft: StepDraft, saved: StepDraft) -> bool:
    """Whether the form holds what is saved (ignoring the blank lines around the text)."""

    def plain(d: StepDraft):
        return (
            d.title.strip(),
            d.type,
            d.duration,
            (d.prompt or "").strip(),
            (d.video_url or "").strip(),
            d.settings or {},
            d.body_md.strip(),
        )

    return plain(draft) == plain(saved)


def _sent(form, module_id: int, draft_of: Callable[[], StepDraft | None]) -> tuple[StepDraft | None, str | None]:
    """What the form was sent for, the same in the editor (either language) and on the
    new-step page: a draft to act on (save, publish or create), or the body rendered when
    Preview was selected. Neither when "Update fields" showed the type's fields again
    (without JavaScript), or when a field has something to fix."""
    if "update" in request.form or not form.validate_on_submit():
        return None, None
    draft = draft_of()
    if draft is not None and "preview" in request.form:
        return None, service.preview(module_id, draft.body_md)
    return draft, None


def _publish(form, version: Version, draft: StepDraft) -> int | None:
    """Publish from the editor: only what the admin has seen saved. A status when refused."""
    if _base_revision(form) != version.newest:
        form.base_revision.errors = [str(STALE)]
        return 409
    if version.saved is None or not _same(draft, version.saved):
        form.base_revision.errors = [str(UNSAVED)]
        return 400
    version.publish()
    return None


@dataclass
class Version:
    """The step in the language being edited: its newest and live revision numbers, what is
    saved (None: no version in this language yet), what the boxes start with, and how the
    form becomes a draft, is saved and is published."""

    language: str
    newest: int
    live: int
    saved: StepDraft | None
    start: StepDraft
    form: StepForm | StepTranslationForm
    draft_of: Callable[[], StepDraft | None]
    save: Callable[[StepDraft, int], object]
    publish: Callable[[], None]
    publishable: bool

    @property
    def translated(self) -> bool:
        return self.language != revisions.ENGLISH


def _english(step) -> Version:
    newest = revisions.latest(step)
    saved = revisions.draft_of(newest) if newest else revisions.draft_of_step(step)
    form = StepForm()

    def publish():
        service.publish_step(current_user, step.id)
        flash(_("Published: learners now see this version."), "success")

    return Version(
        revisions.ENGLISH,
        step.revision,
        step.live_revision,
        saved,
        saved,
        form,
        lambda: draft_of_form(form, saved.activity_slug),
        lambda draft, base: service.save_step(current_user, step.id, draft, base),
        publish,
        not step.published or step.revision != step.live_revision,
    )


def _translation(step, language: str) -> Version:
    english = service.english_draft(step)
    translation = revisions.get_translation(step, language)
    newest = revisions.latest(step, language)
    saved = revisions.draft_of(newest) if newest else None
    form = StepTranslationForm(english.type)

    def publish():
        service.publish_translation(current_user, step.id, language)
        flash(_("Published: Welsh readers now see this version."), "success")

    return Version(
        language,
        translation.revision if translation else 0,
        translation.live_revision if translation else 0,
        saved,
        saved or english,  # a version not yet made starts from the English text
        form,
        lambda: translation_of_form(form, english),
        lambda draft, base: service.save_translation(current_user, step.id, language, draft, base),
        publish,
        bool(step.published and translation and translation.revision != translation.live_revision),
    )


def edit_language() -> str:
    """The language the editor edits: `?language=cy`, else English."""
    language = request.args.get("language") or revisions.ENGLISH
    if language != revisions.ENGLISH and language not in TRANSLATED:
        abort(404)
    return language


def _saved_message(step, version: Version, number: int) -> str:
    if not version.translated:
        if step.published:
            return _("Saved as revision %(number)s. Learners will see it when you publish.", number=number)
        return _("Saved as revision %(number)s.", number=number)
    translation = revisions.get_translation(step, version.language)
    if step.published and translation.live_revision == number:
        return _("Saved the Welsh version as revision %(number)s. Welsh readers see it now.", number=number)
    if step.published:
        return _(
            "Saved the Welsh version as revision %(number)s. Welsh readers will see it when you publish.",
            number=number,
        )
    return _("Saved the Welsh version as revision %(number)s.", number=number)


@bp.route("/steps/<int:step_id>", methods=["GET", "POST"])
@keeps_when_signed_out(STEP_BOX)
@admin_only
@keeps_input
def edit_step(step_id: int):
    """The step editor, in English or (`?language=cy`) for the step's Welsh version."""
    step = structure.get_step(step_id)
    language = edit_language()
    version = _english(step) if language == revisions.ENGLISH else _translation(step, language)
    form, here = version.form, step_page(step.id)
    if request.method == "GET":
        _fill(form, version.start)
        form.base_revision.data = version.newest
        unsent.put_back(form, STEP_BOX, page=here)
    draft, preview = _sent(form, step.module_id, version.draft_of)
    status = 400 if form.errors else 200
    if draft is not None and "publish" in request.form:
        status = _publish(form, version, draft)
        if status is None:
            return redirect(here)
    elif draft is not None:
        try:
            revision = version.save(draft, _base_revision(form))
        except service.DraftInvalid as error:
            _show_problems(form, error.problems)
            status = 400
        except revisions.EditConflict:
            form.base_revision.errors = [str(STALE)]
            status = 409
        except DomainError as error:
            attach_error(form, error)
            status = 400
        else:
            flash(_saved_message(step, version, revision.number), "success")
            return redirect(here)
    return render_template(
        "authoring/step.html",
        step=step,
        form=form,
        version=version,
        preview=preview,
        actions=EmptyForm(),
        move_form=move_form_of(step),
        history=revisions.history(step, language),
        note=revision_note,
    ), status


def revision_note(note: str | None) -> str:
    """A revision's note (kept in English, as the platform wrote it) in the page's language."""
    notes = {
        "Edited in the browser": _("Edited in the browser"),
        "Created in the browser": _("Created in the browser"),
        "Imported from files": _("Imported from files"),
    }
    if note in notes:
        return notes[note]
    if (restored := re.fullmatch(r"Restored revision (\d+)", note or "")) is not None:
        return _("Restored revision %(number)s", number=restored.group(1))
    return note or ""


def move_form_of(step) -> MoveForm:
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
    draft, preview = _sent(form, module.id, lambda: draft_of_form(form, form.activity.data))
    if draft is not None:
        try:
            step = service.create_step(current_user, module.id, form.slug.data, draft)
        except service.DraftInvalid as error:
            _show_problems(form, error.problems)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Step created as a draft. Publish it when it is ready."), "success")
            return redirect(url_for("authoring.edit_step", step_id=step.id))
    return render_template("authoring/step_new.html", module=module, form=form, preview=preview)


@bp.post("/preview")
@admin_only
def preview():
    """The body rendered as learners will see it: for the editor's live preview."""
    body = request.form.get("body", "")
    if problem := size_problem(body, "preview"):  # refused before parsing, as saving it would be
        return render_template("authoring/_preview.html", too_long=problem)
    module_id = query_int("module_id")  # its pictures; without it they show as their alt text
    html = service.preview(module_id, body) if module_id else render_course_markdown(body)
    return render_template("authoring/_preview.html", html=html)
