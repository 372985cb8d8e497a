"""Scoring and the content format are pure: no Flask, no database, nothing else of lms, so
they can be tested and reused alone. (Which features may import which is checked by
import-linter: see .importlinter.)"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

LMS = Path(__file__).resolve().parents[2] / "lms"
PURE = (
    "learning/pacing.py",
    "assessment/scoring.py",
    "assessment/chart.py",
    "certificates/rules.py",
    "certificates/codes.py",
    "content/assessment_schema.py",
    "content/images.py",
    "content/figures.py",
    "content/step_html.py",
    "notifications/preferences.py",
    "cohorts/addresses.py",
    "lti/messages.py",
)


def imports_of(path: Path) -> set[str]:
    """Every module the file imports, by its dotted name."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


@pytest.mark.parametrize("module", PURE)
def test_scoring_and_the_content_format_are_pure(module):
    assert not {name for name in imports_of(LMS / module) if name.startswith(("lms", "flask", "sqlalchemy"))}
