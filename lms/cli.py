"""Command-line tools: `flask --app lms content|users|demo ...`. Each calls a service."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from lms import backup, security
from lms import demo as demo_data
from lms.accounts import links
from lms.accounts import service as accounts
from lms.accounts.models import Role
from lms.content import service as content
from lms.errors import DomainError
from lms.extensions import db
from lms.mail import service as mail
from lms.notifications import digest
from lms.xapi import service as xapi

content_cli = AppGroup("content", help="Check, import and export the course files.")
users_cli = AppGroup("users", help="Create accounts, change roles, and print password reset links.")
mail_cli = AppGroup("mail", help="Deliver what waits in the outbox: mail, and xAPI statements when they are on.")
xapi_cli = AppGroup("xapi", help="xAPI statements to the learning record store.")
ROLES = click.Choice([r.value for r in Role])


def _content_dir(path: str | None) -> Path:
    return Path(path or current_app.config["LMS_CONTENT_DIR"])


@content_cli.command("check")
@click.argument("path", required=False)
def content_check(path):
    """Validate the content folder and list every problem with file, line and field, then
    what is worth a second look (warnings, which do not fail the check)."""
    problems = content.check_content(_content_dir(path))
    for warning in content.content_warnings(_content_dir(path)):
        click.echo(f"Warning: {warning}", err=True)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} problem(s) found")
    click.echo("Content is valid.")


@content_cli.command("import")
@click.argument("path", required=False)
def content_import(path):
    """Sync the content folder into the database (safe to run again)."""
    try:
        report = content.import_content(_content_dir(path))
    except content.ContentInvalid as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException("Nothing was imported: fix the problems above first") from None
    click.echo(f"Imported: {report}.")


@content_cli.command("export")
@click.argument("path")
def content_export(path):
    """Write the course in the database to PATH as content files."""
    try:
        count = content.export_content(Path(path))
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Wrote {count} files to {path}.")


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\n")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=ROLES, default=Role.LEARNER.value, show_default=True)
def users_create(email, name, role):
    """Create an account; the password is asked for, or read from standard input."""
    try:
        user = accounts.create_user(email=email, display_name=name, password=_read_password(), role=Role(role))
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Created {user.role.value} {user.email}.")


@users_cli.command("set-role")
@click.option("--email", required=True)
@click.option("--role", type=ROLES, required=True)
def users_set_role(email, role):
    """Give an existing account a role."""
    try:
        user = accounts.set_role(email, Role(role))
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"{user.email} now has the role {user.role.value}.")


@users_cli.command("reset-link")
@click.option("--email", required=True)
def users_reset_link(email):
    """Print a link to set a new password (works for 1 hour, once), for sites without mail."""
    user = accounts.find_by_email(email)
    if user is None or not user.active:
        raise click.ClickException(f"No active account with the email {accounts.normalise_email(email)}")
    click.echo(links.reset_link(user))


@click.command("demo")
@click.option("--force", is_flag=True, help="Add the demo even though the database has accounts it did not make.")
@with_appcontext
def demo(force):
    """Create a demo cohort with a dozen made-up learners, their comments and progress, and print
    how to sign in as its learner, facilitator and admin."""
    try:
        world = demo_data.create_demo(force=force)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    if world.built:
        click.echo(f"Made {world.cohort!r}: {world.learners} made-up learners, their comments and progress.")
    else:
        click.echo(f"The demo is here already ({world.cohort!r}): nothing was added.")
    click.echo("Demo accounts (email / password):")
    for person in world.people:
        click.echo(f"  {person.role:<12} {person.email} / {person.password}")
    click.echo("Every learner in the cohort signs in with the same password. For a local demo only.")


@click.command("backup")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path):
    """Back up the SQLite database (to PATH, or instance/backups/)."""
    try:
        written = backup.backup(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
    except (ValueError, OSError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backed up to {written}.")


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.confirmation_option(prompt="This replaces every row in the database with the backup. Continue?")
@with_appcontext
def restore_command(path):
    """Replace the SQLite database with a backup made by `backup`. Safe while the app serves:
    no process serves what it kept before the restore."""
    db.engine.dispose()
    try:
        backup.restore(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
    except (ValueError, OSError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored from {path}.")


@click.command("after-restore")
@with_appcontext
def after_restore_command():
    """After pg_restore (or any restore not made by `restore`): move every version the app's
    processes keep pages under, so none serves what it kept before. Safe while the app serves."""
    content.renew_versions()
    click.echo("Versions moved: every process reads the restored data on its next request.")


@click.command("security-check")
@click.option(
    "--workers",
    type=int,
    default=lambda: int(os.environ.get("WEB_CONCURRENCY", "1")),
    help="How many app processes will run (gunicorn --workers); default $WEB_CONCURRENCY or 1.",
)
@with_appcontext
def security_check(workers):
    """Check this configuration for production, like Django's `check --deploy`."""
    problems = security.deployment_problems(current_app.config, workers)
    for problem in problems:
        click.echo(f"- {problem}", err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} problem(s) to fix before running in production")
    click.echo("No problems found.")


@mail_cli.command("deliver")
@click.option("--once", is_flag=True, help="Send what is waiting now, then stop.")
@click.option("--interval", type=float, default=5.0, show_default=True, help="Seconds between looks at the outbox.")
def mail_deliver(once, interval):
    """Send mail from the outbox, retrying failures; runs until stopped (one per server is plenty)."""
    if once:
        sent = 0
        while batch := mail.deliver_due():
            sent += batch
        click.echo(f"Sent {sent} message(s).")
        return
    click.echo(f"Delivering mail every {interval:g} s; stop with Ctrl+C.")
    mail.deliver_forever(current_app._get_current_object(), interval)


@mail_cli.command("digest")
def mail_digest():
    """Build the daily digests that are due now (the delivery loop does this each hour)."""
    count = digest.send_due_digests()
    click.echo(f"Queued {count} digest(s).")


@xapi_cli.command("replay")
@click.option("--since", required=True, type=click.DateTime(["%Y-%m-%d"]), help="First day (UTC), YYYY-MM-DD.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Day to stop before (UTC); default: now.")
def xapi_replay(since, until):
    """Send again the statements written in a period, with their same ids (the store keeps one of each)."""
    count = xapi.replay(since.date(), until.date() if until else None)
    click.echo(f"{count} statement(s) will be sent again.")
    if not xapi.is_on():
        click.echo("xAPI is off (LMS_XAPI_ENDPOINT is not set): they wait until it is on.", err=True)


def init_app(app: Flask) -> None:
    for command in (
        content_cli,
        users_cli,
        mail_cli,
        xapi_cli,
        demo,
        security_check,
        backup_command,
        restore_command,
        after_restore_command,
    ):
        app.cli.add_command(command)
