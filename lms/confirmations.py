"""The one shape of every risky admin action (issue 19): check that it may happen, say what it
will do in words on templates/confirm.html, and do it only when sent with a reason, which the
audit log keeps. Views read what the action is about and hand the rest to `confirmed`.

An action that asks for something else instead of a reason (a cohort's new join code) passes
its own form and the name of the field whose value `act` is given."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import flash, redirect, render_template
from flask_wtf import FlaskForm
from markupsafe import Markup
from werkzeug.wrappers import Response

from lms.errors import DomainError
from lms.forms import ReasonForm, attach_error


@dataclass(frozen=True)
class Words:
    """What the confirmation page says: "Make Priya Ward an admin?", then what will happen."""

    heading: str
    consequences: list[str]
    button: str  # "Change role"
    hidden: dict[str, str] = field(default_factory=dict)  # what the action needs sent again
    lede: str | Markup | None = None  # a sentence before what will happen ("The join code now is ...")
    warning: bool = True  # the button warns; False for an action that is easily changed again


def confirmed(
    *,
    check: Callable[[], None],
    words: Callable[[], Words],
    act: Callable[[str], str],
    back: str,
    current: str,
    done: str | None = None,
    form: FlaskForm | None = None,
    answer: str = "reason",
) -> Response | tuple[str, int]:
    """`check()` raises a DomainError when the action cannot happen (the admin goes `back`,
    told why); `words()` describes it; `act(value)` does it, given the value of the form's
    `answer` field (by default a ReasonForm's reason), and returns the message to show before
    going to `done` (by default `back`). A refusal of `act` shows beside the field."""
    try:
        check()
    except DomainError as error:
        flash(error.message, "error")
        return redirect(back)
    form = form or ReasonForm()
    if form.validate_on_submit():
        try:
            message = act(form[answer].data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(message, "success")
            return redirect(done or back)
    page = words()
    return render_template(
        "confirm.html",
        form=form,
        answer=form[answer],
        heading=page.heading,
        lede=page.lede,
        consequences=page.consequences,
        button=page.button,
        warning=page.warning,
        hidden=page.hidden,
        cancel=back,
        current=current,
    ), 400 if form.errors else 200


def always() -> None:
    """The check of an action that is always possible once its subject exists."""
