"""Course authoring in the browser, for admins: one blueprint, its pages split by what they
edit (the course and its modules, the step editor, a step's place, state and history)."""

from flask import Blueprint

from lms.accounts.access import role_required
from lms.accounts.models import Role

bp = Blueprint("authoring", __name__, url_prefix="/admin/course")
admin_only = role_required(Role.ADMIN)

# Each module adds its pages to `bp` (so endpoints stay "authoring.<view>").
from lms.authoring.views import modules, step_changes, steps  # noqa: E402, F401
