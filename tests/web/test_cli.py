"""The command-line tools, run as `flask --app lms ...` would run them."""

from __future__ import annotations

import sqlalchemy as sa

from lms.accounts.models import Role, User
from lms.accounts.passwords import verify_password
from lms.content.models import Step
from lms.extensions import db


def test_content_check_passes_on_good_content(runner, content_copy):
    result = runner.invoke(args=["content", "check", str(content_copy)])
    assert result.exit_code == 0 and "Content is valid." in result.output


def test_content_check_names_file_line_and_field(runner, content_copy):
    path = content_copy / "modules/01-first-steps/02-watch-this.md"
    path.write_text(path.read_text().replace("duration: 10", "duration: soon"))
    result = runner.invoke(args=["content", "check", str(content_copy)])
    assert result.exit_code == 1
    assert "modules/01-first-steps/02-watch-this.md:5: duration: must be a whole number" in result.output
    assert "1 problem(s) found" in result.output


def test_content_import_and_export(runner, content_copy, tmp_path):
    result = runner.invoke(args=["content", "import", str(content_copy)])
    assert result.exit_code == 0 and "Imported: 7 created" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Step)) == 4
    result = runner.invoke(args=["content", "export", str(tmp_path / "out")])
    assert result.exit_code == 0 and "Wrote 9 files" in result.output
    assert (tmp_path / "out" / "course.md").read_text().startswith("---\ntitle: Test Course\n")


def test_content_import_of_broken_content_imports_nothing(runner, content_copy):
    (content_copy / "course.md").write_text("no front matter")
    result = runner.invoke(args=["content", "import", str(content_copy)])
    assert result.exit_code == 1 and "Nothing was imported" in result.output
    assert "course.md:1: the file must start with a '---' line" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Step)) == 0


def test_content_import_defaults_to_the_configured_folder(runner):
    assert runner.invoke(args=["content", "import"]).exit_code == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Step)) == 4


def test_users_create_reads_the_password_from_stdin(runner):
    result = runner.invoke(
        args=["users", "create", "--email", "Fac@Example.org", "--name", "Fran", "--role", "facilitator"],
        input="a long facilitator password\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User))
    assert (user.email, user.role) == ("fac@example.org", Role.FACILITATOR)
    assert verify_password(user.password_hash, "a long facilitator password")


def test_users_create_refuses_short_passwords_and_duplicates(runner, learner):
    result = runner.invoke(args=["users", "create", "--email", "x@example.org", "--name", "X"], input="short\n")
    assert result.exit_code == 1 and "at least 12 characters" in result.output
    result = runner.invoke(
        args=["users", "create", "--email", learner.email, "--name", "X"], input="long enough password\n"
    )
    assert result.exit_code == 1 and "already exists" in result.output


def test_users_set_role(runner, learner):
    result = runner.invoke(args=["users", "set-role", "--email", learner.email, "--role", "admin"])
    assert result.exit_code == 0 and "learner@example.org now has the role admin." in result.output
    assert db.session.get(User, learner.id).role == Role.ADMIN
    result = runner.invoke(args=["users", "set-role", "--email", "nobody@example.org", "--role", "admin"])
    assert result.exit_code == 1 and "No account" in result.output
    assert runner.invoke(args=["users", "set-role", "--email", learner.email, "--role", "king"]).exit_code == 2


def test_demo_creates_people_who_can_sign_in(runner, client, course):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0
    assert "learner@example.org / demo password 2026" in result.output
    assert runner.invoke(args=["demo"]).exit_code == 0  # safe to run again
    roles = dict(db.session.execute(sa.select(User.email, User.role)).all())
    assert {email: role for email, role in roles.items() if email.endswith("@example.org")} == {
        "learner@example.org": Role.LEARNER,
        "facilitator@example.org": Role.FACILITATOR,
        "admin@example.org": Role.ADMIN,
    }
    crowd = {role for email, role in roles.items() if email.endswith("@demo.example.org")}
    assert len(roles) == 15 and crowd == {Role.LEARNER}  # and a dozen made-up learners
    client.post("/login", data={"email": "learner@example.org", "password": "demo password 2026"})
    assert client.get("/todo").status_code == 200


def test_demo_needs_a_course(runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 1 and "Import the course first" in result.output
