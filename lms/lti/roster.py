"""Names and Roles Provisioning: a facilitator pulls the platform's list of the people in its
course (the LTI context) into the cohort it fills here. Accounts are made or found by the
platform's subject id, as launches do; nobody is taken out of the cohort."""

from __future__ import annotations

import logging

import requests
import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts import external
from lms.accounts.models import IdentityKind, Role, User
from lms.audit import service as audit
from lms.cohorts import service as cohorts
from lms.cohorts.models import CohortRole
from lms.errors import DomainError, NotFound
from lms.extensions import db
from lms.lti import messages, platform_calls
from lms.lti.models import LtiContext, LtiPlatform

log = logging.getLogger(__name__)


def context_of(cohort_id: int) -> tuple[LtiContext, LtiPlatform]:
    """The platform context that fills this cohort and offers its roster; NotFound if none."""
    context = db.session.scalar(
        sa.select(LtiContext).where(LtiContext.cohort_id == cohort_id, LtiContext.memberships_url.is_not(None))
    )
    if context is None:
        raise NotFound(_("This cohort's people do not come from a learning platform"))
    return context, db.session.get(LtiPlatform, context.platform_id)


def platform_offering(cohort_id: int) -> LtiPlatform | None:
    """The learning platform whose course roster fills this cohort, if one does (one query)."""
    return db.session.scalar(
        sa.select(LtiPlatform)
        .join(LtiContext, LtiContext.platform_id == LtiPlatform.id)
        .where(LtiContext.cohort_id == cohort_id, LtiContext.memberships_url.is_not(None))
        .limit(1)
    )


def pull_roster(actor: User, cohort_id: int) -> int:
    """Add everyone the platform lists as active in the context; how many were new to the
    cohort. Audited. Commits."""
    context, platform = context_of(cohort_id)
    try:
        members = platform_calls.members(platform, context.memberships_url)
    except (requests.RequestException, ValueError, KeyError) as error:
        log.warning("roster of context %s not read: %s", context.id, error)
        raise DomainError(
            _("%(platform)s did not give us its list of people. Try again later.", platform=platform.name)
        ) from None
    cohort, added = cohorts.get_cohort(cohort_id), 0
    for member in members:
        subject = messages.text(member.get("user_id"))
        if member.get("status", "Active") != "Active" or not subject or len(subject) > messages.SUBJECT_MOST:
            continue
        staff = messages.is_staff(member.get("roles") or [])
        arrival = external.Arrival(
            IdentityKind.LTI,
            platform.issuer,
            subject,
            email=messages.text(member.get("email")) or None,
            name=messages.person_name(member),
        )
        try:
            user, _new = external.account_for(
                arrival, role=Role.FACILITATOR if staff else Role.LEARNER, placeholder_email=True
            )
        except external.ExternalSignInRefused:
            continue  # a closed account stays closed
        if staff and not user.has_role(Role.FACILITATOR):
            user.role = Role.FACILITATOR
        if cohorts.membership(cohort.id, user.id) is None:
            cohorts.add_member(cohort, user.email, CohortRole.FACILITATOR if staff else CohortRole.LEARNER)
            added += 1
    audit.record(actor, "lti.roster", cohort, details={"added": added, "listed": len(members)})
    db.session.commit()
    return added
