"""Managing people, for admins: one blueprint, its pages split by what they manage (people
and their accounts, cohorts and their members, the mail that could not be sent)."""

from flask import Blueprint

from lms.accounts.access import role_required
from lms.accounts.models import Role

bp = Blueprint("people", __name__, url_prefix="/admin")
admin_only = role_required(Role.ADMIN)

# Each module adds its pages to `bp` (so endpoints stay "people.<view>").
from lms.people.views import cohorts, mail, people  # noqa: E402, F401
