"""Audit entries in words ("published step 1.2, revision 3"), from the action and the details
kept with it. One table: each action lists sentences from the fullest to the plainest, and the
first whose every blank the entry can fill is used; an action not listed reads by its code.

The entry keeps codes and names as they were; the words are made when the log is read, in the
reader's language. A detail that is a code (a role, a direction) picks a whole sentence of its
own (`BY_VALUE`), so every language can write it in its own grammar."""

from __future__ import annotations

import re

from flask_babel import gettext


def N_(message: str) -> str:
    """Marks a sentence for the catalogue; it is translated when an entry is read."""
    return message


WORDS: dict[str, tuple[str, ...]] = {
    "user.role": (N_("changed %(target)s's role from %(from)s to %(to)s"), N_("changed %(target)s's role")),
    "user.deactivate": (N_("deactivated %(target)s's account"),),
    "user.reactivate": (N_("reactivated %(target)s's account"),),
    "user.reset_link": (N_("emailed %(target)s a link to set a new password"),),
    "user.delete_account": (N_("deleted their own account"),),
    "cohort.create": (N_("created the cohort %(target)s"),),
    "cohort.update": (N_("changed the details of the cohort %(target)s"),),
    "cohort.code": (
        N_("changed the join code of the cohort %(target)s from %(from)s to %(to)s"),
        N_("changed the join code of the cohort %(target)s to %(to)s"),
    ),
    "cohort.add_member": (
        N_("added %(name)s to %(target)s as %(role)s"),
        N_("added person %(user_id)s to %(target)s as %(role)s"),
    ),
    "cohort.remove_member": (N_("removed %(name)s from %(target)s"), N_("removed person %(user_id)s from %(target)s")),
    "cohort.delete": (N_("deleted the cohort %(target)s (%(learners)s learners, %(facilitators)s facilitators)"),),
    "step.create": (N_("created step %(number)s, %(title)s"), N_("created the step %(target)s")),
    "step.save": (
        N_("saved step %(number)s, revision %(revision)s"),
        N_("saved the step %(target)s, revision %(revision)s"),
    ),
    "step.publish": (
        N_("published step %(number)s, revision %(revision)s"),
        N_("published the step %(target)s, revision %(revision)s"),
    ),
    "step.unpublish": (N_("unpublished step %(number)s, %(title)s"), N_("unpublished the step %(target)s")),
    "step.restore": (
        N_("restored revision %(from)s of step %(number)s as revision %(revision)s"),
        N_("restored revision %(from)s of the step %(target)s as revision %(revision)s"),
    ),
    "step.move": (
        N_("moved step %(number)s %(direction)s"),
        N_("moved step %(number)s to the activity %(activity)s"),
        N_("moved the step %(target)s %(direction)s"),
        N_("moved the step %(target)s to the activity %(activity)s"),
    ),
    "module.create": (N_("created module %(number)s, %(title)s"), N_("created the module %(target)s")),
    "module.save": (N_("saved module %(number)s, %(title)s"), N_("saved the module %(target)s")),
    "module.publish": (N_("published module %(number)s, %(title)s"), N_("published the module %(target)s")),
    "module.unpublish": (N_("unpublished module %(number)s, %(title)s"), N_("unpublished the module %(target)s")),
    "comment.hide": (N_("hid a comment (%(target)s)"),),
    "comment.restore": (N_("showed a hidden comment again (%(target)s)"),),
    "comment.keep_hidden": (N_("kept a comment hidden after its author asked for a review (%(target)s)"),),
    "comment.dismiss_reports": (N_("dismissed the reports of a comment (%(target)s)"),),
    "comment.highlight": (N_("highlighted a comment (%(target)s)"),),
    "comment.unhighlight": (N_("stopped highlighting a comment (%(target)s)"),),
    "thread.lock": (N_("locked the discussion on the step %(target)s"),),
    "thread.unlock": (N_("opened the discussion on the step %(target)s again"),),
    "sign_in.settings": (
        N_(
            "changed the sign-in settings (link by verified email: %(link_by_verified_email)s, "
            "passwords for admins only: %(passwords_for_admins_only)s)"
        ),
    ),
    "lti.platform": (N_("registered or changed the learning platform %(target)s (%(issuer)s)"),),
    "lti.roster": (N_("added %(added)s of the %(listed)s people the learning platform lists to %(target)s"),),
    "mail.test": (N_("sent themself a test message"),),
    "mail.retry": (N_("queued %(count)s failed messages again"),),
}

# Sentences chosen by the codes an entry keeps: (the details' keys, {their values: sentences}).
# Tried before the action's sentences in WORDS, which read a code it does not know as it is.
BY_VALUE: dict[str, tuple[tuple[str, ...], dict[tuple, tuple[str, ...]]]] = {
    "user.role": (
        ("from", "to"),
        {
            ("learner", "facilitator"): (N_("changed %(target)s's role from learner to facilitator"),),
            ("learner", "admin"): (N_("changed %(target)s's role from learner to admin"),),
            ("facilitator", "learner"): (N_("changed %(target)s's role from facilitator to learner"),),
            ("facilitator", "admin"): (N_("changed %(target)s's role from facilitator to admin"),),
            ("admin", "learner"): (N_("changed %(target)s's role from admin to learner"),),
            ("admin", "facilitator"): (N_("changed %(target)s's role from admin to facilitator"),),
        },
    ),
    "cohort.add_member": (
        ("role",),
        {
            ("learner",): (
                N_("added %(name)s to %(target)s as a learner"),
                N_("added person %(user_id)s to %(target)s as a learner"),
            ),
            ("facilitator",): (
                N_("added %(name)s to %(target)s as a facilitator"),
                N_("added person %(user_id)s to %(target)s as a facilitator"),
            ),
            ("admin",): (
                N_("added %(name)s to %(target)s as an admin"),
                N_("added person %(user_id)s to %(target)s as an admin"),
            ),
        },
    ),
    "step.move": (
        ("direction",),
        {
            ("up",): (N_("moved step %(number)s up"), N_("moved the step %(target)s up")),
            ("down",): (N_("moved step %(number)s down"), N_("moved the step %(target)s down")),
        },
    ),
}

_BLANK = re.compile(r"%\((\w+)\)s")


def _fields(template: str) -> set[str]:
    return set(_BLANK.findall(template))


def _sentences(action: str, values: dict) -> tuple[str, ...]:
    keys, chosen = BY_VALUE.get(action, ((), {}))
    found = chosen.get(tuple(str(values.get(key)) for key in keys), ()) if keys else ()
    return found + WORDS.get(action, ())


def _shown(value) -> object:
    """A kept value as the sentence shows it: a yes or no in words, anything else as kept."""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    return value


def describe(action: str, target_label: str, details: dict | None) -> str:
    """The entry as a sentence about what its actor did, in the reader's language."""
    values = {k: _shown(v) for k, v in (details or {}).items() if v not in (None, "")}
    values["target"] = target_label
    for template in _sentences(action, values):
        if _fields(template) <= values.keys():
            return gettext(template) % values
    return f"{action.replace('.', ': ').replace('_', ' ')} ({target_label})"


# The actions as the filter lists them.
NAMES: dict[str, str] = {
    "user.role": N_("Role changed"),
    "user.deactivate": N_("Account deactivated"),
    "user.reactivate": N_("Account reactivated"),
    "user.reset_link": N_("Password link emailed"),
    "user.delete_account": N_("Account deleted by its owner"),
    "cohort.create": N_("Cohort created"),
    "cohort.update": N_("Cohort details changed"),
    "cohort.code": N_("Cohort join code changed"),
    "cohort.add_member": N_("Person added to a cohort"),
    "cohort.remove_member": N_("Person removed from a cohort"),
    "cohort.delete": N_("Cohort deleted"),
    "step.create": N_("Step created"),
    "step.save": N_("Step saved"),
    "step.publish": N_("Step published"),
    "step.unpublish": N_("Step unpublished"),
    "step.restore": N_("Step revision restored"),
    "step.move": N_("Step moved"),
    "module.create": N_("Module created"),
    "module.save": N_("Module saved"),
    "module.publish": N_("Module published"),
    "module.unpublish": N_("Module unpublished"),
    "comment.hide": N_("Comment hidden"),
    "comment.restore": N_("Comment shown again"),
    "comment.keep_hidden": N_("Comment kept hidden after review"),
    "comment.dismiss_reports": N_("Reports dismissed"),
    "comment.highlight": N_("Comment highlighted"),
    "comment.unhighlight": N_("Highlight removed"),
    "thread.lock": N_("Discussion locked"),
    "thread.unlock": N_("Discussion opened again"),
    "sign_in.settings": N_("Sign-in settings changed"),
    "lti.platform": N_("Learning platform registered or changed"),
    "lti.roster": N_("People added from a learning platform"),
    "mail.test": N_("Test message sent"),
    "mail.retry": N_("Failed messages queued again"),
}


def action_name(action: str) -> str:
    """An action as the filter lists it, in the reader's language: a name, or its code when it
    has none."""
    return gettext(NAMES[action]) if action in NAMES else action
