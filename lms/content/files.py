"""Read content/ into documents: front matter, the line of every field, and the body.

Pure: no Flask, no database. Validation of what the documents say is schema.py's job.

    content/course.md
    content/modules/NN-module-slug/module.md
    content/modules/NN-module-slug/NN-step-slug.md
    content/modules/NN-module-slug/images/NAME.svg   (or .png, .jpg, .webp)
    content/glossary.md                              (optional)

Beside any of these Markdown files may sit its Welsh version, `NAME.cy.md` (course.cy.md,
module.cy.md, 02-staff-experience.cy.md, glossary.cy.md): read into `Tree.translations`,
never as a file of its own; lms.content.translations checks it against its English twin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

NUMBERED = re.compile(r"^(\d+)-([a-z0-9]+(?:-[a-z0-9]+)*)$")
FENCE = "---"
TRANSLATED = ("cy",)  # the languages a content file may have a version in, beside the English
LANGUAGE_NAMES = {"cy": "Welsh"}


def translation_suffix(language: str) -> str:
    return f".{language}.md"


def language_of(name: str) -> str | None:
    """The language a file name is a version in ('cy' for 01-welcome.cy.md); None: English."""
    return next((lang for lang in TRANSLATED if name.endswith(translation_suffix(lang))), None)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content, located precisely enough to fix."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class ContentInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


@dataclass(frozen=True)
class Document:
    path: str  # relative to the content root, for messages
    meta: dict
    lines: dict[tuple, int]  # field path -> line number in the file
    body: str
    body_line: int

    def line(self, *path) -> int:
        """The line of a field, or of its nearest parent that exists (1 if none)."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return 1

    def problem(self, message: str, *path) -> Problem:
        name = ".".join(str(p) for p in path)
        return Problem(self.path, self.line(*path), name, message)


@dataclass(frozen=True)
class NumberedFile:
    number: int
    slug: str
    path: Path


@dataclass
class ModuleFiles:
    folder: NumberedFile
    module: Document | None
    steps: list[tuple[NumberedFile, Document]] = field(default_factory=list)
    images: dict[str, bytes] = field(default_factory=dict)  # file name in images/ -> its bytes


@dataclass
class Tree:
    course: Document | None
    modules: list[ModuleFiles]
    problems: list[Problem]
    glossary: Document | None = None
    # (the English file's path, language) -> its version in that language
    translations: dict[tuple[str, str], Document] = field(default_factory=dict)

    def translation(self, doc: Document | None, language: str) -> Document | None:
        return self.translations.get((doc.path, language)) if doc is not None else None


def _line_map(node, path: tuple, offset: int, out: dict) -> dict:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            here = path + (key.value,)
            out[here] = key.start_mark.line + 1 + offset
            _line_map(value, here, offset, out)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            out[path + (index,)] = item.start_mark.line + 1 + offset
            _line_map(item, path + (index,), offset, out)
    return out


def parse_document(text: str, name: str) -> Document:
    """Split a file into YAML front matter and Markdown body; raise ContentInvalid if malformed."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != FENCE:
        raise ContentInvalid([Problem(name, 1, "", "the file must start with a '---' line opening the front matter")])
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        raise ContentInvalid([Problem(name, 1, "", "the front matter has no closing '---' line")]) from None
    front = "\n".join(lines[1:end])
    try:
        node = yaml.compose(front, Loader=yaml.SafeLoader)
        meta = yaml.safe_load(front)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        raise ContentInvalid(
            [Problem(name, line, "", f"the front matter is not valid YAML ({getattr(error, 'problem', error)})")]
        ) from None
    if not isinstance(meta, dict):
        raise ContentInvalid([Problem(name, 2, "", "the front matter must be a set of 'field: value' lines")])
    return Document(
        path=name,
        meta=meta,
        lines=_line_map(node, (), 1, {}),
        body="\n".join(lines[end + 1 :]).strip() + "\n",
        body_line=end + 2,
    )


def _read(path: Path, root: Path, problems: list[Problem]) -> Document | None:
    name = str(path.relative_to(root))
    try:
        return parse_document(path.read_text(encoding="utf-8"), name)
    except UnicodeDecodeError:
        problems.append(Problem(name, 1, "", "the file is not UTF-8 text"))
    except ContentInvalid as error:
        problems.extend(error.problems)
    return None


def _numbered(paths, root: Path, suffix: str, problems: list[Problem]) -> list[NumberedFile]:
    found = []
    for path in paths:
        match = NUMBERED.match(path.name.removesuffix(suffix))
        if not match:
            problems.append(
                Problem(
                    str(path.relative_to(root)),
                    1,
                    "",
                    "name it NN-slug (a number, a dash, then lower-case words joined by dashes)",
                )
            )
            continue
        found.append(NumberedFile(int(match[1]), match[2], path))
    found.sort(key=lambda f: (f.number, f.slug))
    for before, after in zip(found, found[1:]):
        if before.number == after.number:
            problems.append(
                Problem(str(after.path.relative_to(root)), 1, "", f"has the same number as {before.path.name}")
            )
        if before.slug == after.slug:
            problems.append(
                Problem(str(after.path.relative_to(root)), 1, "", f"has the same slug as {before.path.name}")
            )
    return found


def read_tree(root: Path) -> Tree:
    """Read every content file under root; collect problems instead of stopping at the first."""
    problems: list[Problem] = []
    course_path = root / "course.md"
    course = _read(course_path, root, problems) if course_path.exists() else None
    if not course_path.exists():
        problems.append(Problem("course.md", 1, "", "the course file is missing"))
    folders = [p for p in (root / "modules").glob("*") if p.is_dir()] if (root / "modules").is_dir() else []
    modules = []
    for folder in _numbered(folders, root, "", problems):
        module_path = folder.path / "module.md"
        if not module_path.exists():
            problems.append(Problem(str(module_path.relative_to(root)), 1, "", "the module file is missing"))
        module = _read(module_path, root, problems) if module_path.exists() else None
        step_paths = [p for p in folder.path.glob("*.md") if p.name != "module.md" and not language_of(p.name)]
        steps = []
        for step in _numbered(step_paths, root, ".md", problems):
            document = _read(step.path, root, problems)
            if document is not None:
                steps.append((step, document))
        modules.append(ModuleFiles(folder, module, steps, _images(folder.path / "images")))
    if not modules:
        problems.append(Problem("modules", 1, "", "the course has no modules"))
    glossary_path = root / "glossary.md"
    glossary = _read(glossary_path, root, problems) if glossary_path.exists() else None
    return Tree(course, modules, problems, glossary, _translations(root, problems))


def _translations(root: Path, problems: list[Problem]) -> dict[tuple[str, str], Document]:
    """Every NAME.LANG.md under root, by its English twin's path; a problem for each without one."""
    found: dict[tuple[str, str], Document] = {}
    for language in TRANSLATED:
        suffix = translation_suffix(language)
        for path in sorted([*root.glob(f"*{suffix}"), *root.glob(f"modules/*/*{suffix}")]):
            twin = path.with_name(path.name.removesuffix(suffix) + ".md")
            name = str(path.relative_to(root))
            if not twin.exists():
                problems.append(
                    Problem(
                        name,
                        1,
                        "",
                        f"a {LANGUAGE_NAMES[language]} version needs its English file beside it, "
                        f"and there is no {twin.name}",
                    )
                )
                continue
            document = _read(path, root, problems)
            if document is not None:
                found[(str(twin.relative_to(root)), language)] = document
    return found


def _images(folder: Path) -> dict[str, bytes]:
    """Every file in a module's images folder, by name (schema.py says which are acceptable)."""
    if not folder.is_dir():
        return {}
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}
