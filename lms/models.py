"""Every feature's models, imported so Alembic and the tests see the whole schema."""

from lms.accounts.models import ExternalIdentity, Role, SignInSettings, User, UserSession  # noqa: F401
from lms.assessment.models import QuizAttempt, SelfAssessmentResponse  # noqa: F401
from lms.audit.models import AuditEntry  # noqa: F401
from lms.certificates.models import Certificate  # noqa: F401
from lms.cohorts.models import Cohort, CohortMember  # noqa: F401
from lms.comments.models import Bookmark, Comment, CommentLike, Follow, Report, ThreadLock  # noqa: F401
from lms.content.models import Activity, Course, Module, Step, StepRevision  # noqa: F401
from lms.facilitation.models import AggregateSnapshot  # noqa: F401
from lms.learning.models import Enrolment, StepProgress  # noqa: F401
from lms.lti.models import LtiContext, LtiLaunch, LtiPlatform, LtiScore, LtiToolKey  # noqa: F401
from lms.mail.models import OutboxMessage  # noqa: F401
from lms.notifications.models import EmailPreference, Notification  # noqa: F401
from lms.reflection.models import Reflection  # noqa: F401
from lms.unsent import UnsentForm  # noqa: F401
