"""Audit entries in words ("published step 1.2, revision 3"), from the action and the details
kept with it. One table: each action lists sentences from the fullest to the plainest, and the
first whose every blank the entry can fill is used; an action not listed reads by its code."""

from __future__ import annotations

from string import Formatter

from lms.templating import with_article

WORDS: dict[str, tuple[str, ...]] = {
    "user.role": ("changed {target}'s role from {from} to {to}", "changed {target}'s role"),
    "user.deactivate": ("deactivated {target}'s account",),
    "user.reactivate": ("reactivated {target}'s account",),
    "user.reset_link": ("emailed {target} a link to set a new password",),
    "user.delete_account": ("deleted their own account",),
    "cohort.create": ("created the cohort {target}",),
    "cohort.update": ("changed the details of the cohort {target}",),
    "cohort.code": (
        "changed the join code of the cohort {target} from {from} to {to}",
        "changed the join code of the cohort {target} to {to}",
    ),
    "cohort.add_member": ("added {name} to {target} as {role_a}", "added person {user_id} to {target} as {role_a}"),
    "cohort.remove_member": ("removed {name} from {target}", "removed person {user_id} from {target}"),
    "cohort.delete": ("deleted the cohort {target} ({learners} learners, {facilitators} facilitators)",),
    "step.create": ("created step {number}, {title}", "created the step {target}"),
    "step.save": ("saved step {number}, revision {revision}", "saved the step {target}, revision {revision}"),
    "step.publish": (
        "published step {number}, revision {revision}",
        "published the step {target}, revision {revision}",
    ),
    "step.unpublish": ("unpublished step {number}, {title}", "unpublished the step {target}"),
    "step.restore": (
        "restored revision {from} of step {number} as revision {revision}",
        "restored revision {from} of the step {target} as revision {revision}",
    ),
    "step.move": (
        "moved step {number} {direction}",
        "moved step {number} to the activity {activity}",
        "moved the step {target} {direction}",
        "moved the step {target} to the activity {activity}",
    ),
    "module.create": ("created module {number}, {title}", "created the module {target}"),
    "module.save": ("saved module {number}, {title}", "saved the module {target}"),
    "module.publish": ("published module {number}, {title}", "published the module {target}"),
    "module.unpublish": ("unpublished module {number}, {title}", "unpublished the module {target}"),
    "comment.hide": ("hid a comment ({target})",),
    "comment.restore": ("showed a hidden comment again ({target})",),
    "comment.keep_hidden": ("kept a comment hidden after its author asked for a review ({target})",),
    "comment.dismiss_reports": ("dismissed the reports of a comment ({target})",),
    "comment.highlight": ("highlighted a comment ({target})",),
    "comment.unhighlight": ("stopped highlighting a comment ({target})",),
    "thread.lock": ("locked the discussion on the step {target}",),
    "thread.unlock": ("opened the discussion on the step {target} again",),
    "sign_in.settings": (
        "changed the sign-in settings (link by verified email: {link_by_verified_email}, "
        "passwords for admins only: {passwords_for_admins_only})",
    ),
    "lti.platform": ("registered or changed the learning platform {target} ({issuer})",),
    "lti.roster": ("added {added} of the {listed} people the learning platform lists to {target}",),
    "mail.test": ("sent themself a test message",),
    "mail.retry": ("queued {count} failed messages again",),
}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name}


def describe(action: str, target_label: str, details: dict | None) -> str:
    """The entry as a sentence about what its actor did."""
    values = {k: v for k, v in (details or {}).items() if v not in (None, "")}
    values["target"] = target_label
    if "role" in values:
        values["role_a"] = with_article(str(values["role"]))
    for template in WORDS.get(action, ()):
        if _fields(template) <= values.keys():
            return template.format(**values)
    return f"{action.replace('.', ': ').replace('_', ' ')} ({target_label})"


# The actions as the filter lists them.
NAMES: dict[str, str] = {
    "user.role": "Role changed",
    "user.deactivate": "Account deactivated",
    "user.reactivate": "Account reactivated",
    "user.reset_link": "Password link emailed",
    "user.delete_account": "Account deleted by its owner",
    "cohort.create": "Cohort created",
    "cohort.update": "Cohort details changed",
    "cohort.code": "Cohort join code changed",
    "cohort.add_member": "Person added to a cohort",
    "cohort.remove_member": "Person removed from a cohort",
    "cohort.delete": "Cohort deleted",
    "step.create": "Step created",
    "step.save": "Step saved",
    "step.publish": "Step published",
    "step.unpublish": "Step unpublished",
    "step.restore": "Step revision restored",
    "step.move": "Step moved",
    "module.create": "Module created",
    "module.save": "Module saved",
    "module.publish": "Module published",
    "module.unpublish": "Module unpublished",
    "comment.hide": "Comment hidden",
    "comment.restore": "Comment shown again",
    "comment.keep_hidden": "Comment kept hidden after review",
    "comment.dismiss_reports": "Reports dismissed",
    "comment.highlight": "Comment highlighted",
    "comment.unhighlight": "Highlight removed",
    "thread.lock": "Discussion locked",
    "thread.unlock": "Discussion opened again",
    "sign_in.settings": "Sign-in settings changed",
    "lti.platform": "Learning platform registered or changed",
    "lti.roster": "People added from a learning platform",
    "mail.test": "Test message sent",
    "mail.retry": "Failed messages queued again",
}


def action_name(action: str) -> str:
    """An action as the filter lists it: a name, or its code when it has none."""
    return NAMES.get(action, action)
