"""Features import downwards only: assessment sits on learning, certificates on assessment,
and the pages that compose them (steps, progress) sit above all of them."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

LMS = Path(__file__).resolve().parents[2] / "lms"
SHARED = {"db", "extensions", "errors", "forms", "security", "config", "templating", "models"}
MAY_IMPORT = {
    "assessment": {"accounts", "content", "learning"},
    "certificates": {"accounts", "content", "learning", "assessment"},
    "learning": {"accounts", "content"},
    "content": {"accounts"},
}
PURE = ("assessment/scoring.py", "assessment/chart.py", "certificates/rules.py", "certificates/codes.py",
        "content/assessment_schema.py")


def imports_of(path: Path) -> set[str]:
    """Every module the file imports, by its dotted name."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


def features_imported(package: str) -> set[str]:
    names = set().union(*(imports_of(path) for path in (LMS / package).glob("*.py")))
    return {name.split(".")[1] for name in names if name.startswith("lms.")} - SHARED - {package}


@pytest.mark.parametrize("package", sorted(MAY_IMPORT))
def test_features_import_only_the_layers_below(package):
    assert features_imported(package) <= MAY_IMPORT[package]


@pytest.mark.parametrize("module", PURE)
def test_scoring_and_the_content_format_are_pure(module):
    assert not {name for name in imports_of(LMS / module) if name.startswith(("lms", "flask", "sqlalchemy"))}
