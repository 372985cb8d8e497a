from __future__ import annotations

from flask import Blueprint, g, render_template
from flask_login import current_user

from lms.assessment import results as assessment_results
from lms.certificates import service as certificates
from lms.learning import service as learning
from lms.learning.access import enrolled_only

bp = Blueprint("progress", __name__)


@bp.get("/progress")
@enrolled_only
def page():
    """Steps completed per module and overall, results per module, and the certificate."""
    progress = learning.progress_for(current_user.id, g.outline)
    return render_template(
        "progress/page.html",
        progress=progress,
        results=assessment_results.results_by_module(current_user.id, g.outline),
        certificate=certificates.status_for(current_user.id, g.outline, progress),
    )
