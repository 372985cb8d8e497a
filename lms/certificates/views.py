"""The learner's certificate (what is left, claim, the printable page) and the public check."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.certificates import service
from lms.certificates.codes import read_code
from lms.certificates.forms import CheckCodeForm
from lms.errors import NotAllowed, NotFound
from lms.extensions import limiter
from lms.forms import EmptyForm
from lms.learning.access import enrolled_only

bp = Blueprint("certificates", __name__)
# Codes are unguessable; the limit keeps anyone from trying many of them anyway.
CHECK_LIMIT = "30 per minute"


@bp.get("/certificate")
@enrolled_only
def mine():
    """The certificate, ready to print, or what is left to do to earn it."""
    return render_template(
        "certificates/mine.html", status=service.status_for(current_user.id, g.outline), form=EmptyForm()
    )


@bp.post("/certificate")
@enrolled_only
def claim():
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        service.claim(current_user, g.outline)
    except NotAllowed as error:  # the page says what is left to do
        flash(_("%(problem)s: see what is left to do below.", problem=error.message), "error")
    else:
        flash(_("Your certificate is ready. Print it, save it as a PDF, or share its verification link."), "success")
    return redirect(url_for("certificates.mine"))


@bp.get("/certificates/")
@limiter.limit(CHECK_LIMIT)
def check():
    """Anyone can check a certificate: enter its code."""
    form = CheckCodeForm(request.args)
    if request.args and form.validate():
        code = read_code(form.code.data)
        if code:
            return redirect(url_for("certificates.verify", code=code))
        form.code.errors.append(_("Enter the code as printed: 16 letters and numbers, like 7K3M-QX9P-H2TD-W8RF"))
    return render_template("certificates/check.html", form=form)


@bp.get("/certificates/<code>")
@limiter.limit(CHECK_LIMIT)
def verify(code: str):
    """Public: confirm a certificate by its code, showing only what the certificate says."""
    try:
        certificate = service.verify(code)
    except NotFound:
        return render_template("certificates/unknown.html", form=CheckCodeForm(data={"code": code[:40]})), 404
    if certificate.code != code:  # typed in lower case or without dashes: one address per certificate
        return redirect(url_for("certificates.verify", code=certificate.code), 301)
    return render_template("certificates/verify.html", certificate=certificate)
