"""Images kept with the course: what a module's `images/` folder may hold, and what a step's
Markdown may point at. Pure: no Flask, no database.

A step shows an image of its own module with `![Alt text](images/NAME.svg)`. Nothing else is
an image: no remote or `data:` pictures, no raw `<img>`. SVG is text a browser runs, so it
must be a drawing only (no script, no event handlers, no foreignObject, nothing fetched from
elsewhere) and say what it shows (`<title>` and `<desc>`), for screen readers.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass

MEDIA_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".webp": "image/webp"}
MEDIA_TYPES[".jpeg"] = "image/jpeg"
MAX_BYTES = 300 * 1024
NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\.(?:svg|png|jpg|jpeg|webp)$")
SOURCE = re.compile(r"^images/([^/\\]+)$")  # how a step names an image of its module
FILE_NAME_ALT = re.compile(r"^\S+\.(?:svg|png|jpe?g|webp|gif)$", re.IGNORECASE)
# The first bytes of each kind of picture, so a file is what its name says.
SIGNATURES = {".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",)}
SVG_NS = "{http://www.w3.org/2000/svg}"
LOCAL_REFERENCE = re.compile(r"^\s*#")
URL_IN_STYLE = re.compile(r"url\(\s*['\"]?(?!#)|@import", re.IGNORECASE)


@dataclass(frozen=True)
class ImageSpec:
    name: str
    media_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def extension(name: str) -> str:
    return name[name.rfind(".") :].lower() if "." in name else ""


def image_problems(name: str, data: bytes) -> list[str]:
    """What is wrong with one file of a module's images folder (nothing: it can be shown)."""
    if not NAME.match(name):
        return ["name it with lower-case words joined by dashes, ending .svg, .png, .jpg or .webp"]
    problems = []
    if not data:
        problems.append("the file is empty")
    if len(data) > MAX_BYTES:
        problems.append(f"is {len(data) // 1024:,} KB; an image can be at most {MAX_BYTES // 1024} KB")
    kind = extension(name)
    if kind == ".svg":
        problems += svg_problems(data)
    elif kind == ".webp" and not (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        problems.append("is not a WebP picture")
    elif kind in SIGNATURES and not data.startswith(SIGNATURES[kind]):
        problems.append(f"is not a {kind[1:].upper()} picture")
    return problems


def svg_problems(data: bytes) -> list[str]:
    """Why an SVG is not a safe, described drawing (nothing: it is one)."""
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        return ["must not declare a DOCTYPE or entities"]
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        return [f"is not well-formed SVG ({error})"]
    if root.tag not in (f"{SVG_NS}svg", "svg"):
        return ["is not an SVG drawing (its first element must be <svg>)"]
    problems = []
    for part in ("title", "desc"):
        found = next((child for child in root if _local(child.tag) == part), None)
        if found is None or not "".join(found.itertext()).strip():
            problems.append(f"needs a <{part}> inside <svg> saying what the drawing shows")
    for element in root.iter():
        tag = _local(element.tag)
        if tag in ("script", "foreignObject", "iframe", "embed", "object"):
            problems.append(f"must not contain <{tag}>")
        if tag == "style" and URL_IN_STYLE.search(element.text or ""):
            problems.append("its <style> must not fetch anything (url() or @import)")
        for attribute, value in element.attrib.items():
            local = _local(attribute)
            if local.lower().startswith("on"):
                problems.append(f"must not have event handlers ({local} on <{tag}>)")
            elif local == "href" and not LOCAL_REFERENCE.match(value):
                problems.append(f'must not refer to anything outside the drawing ({local}="{value[:60]}")')
            elif local == "style" and URL_IN_STYLE.search(value):
                problems.append(f"must not fetch anything from a style (on <{tag}>)")
    return sorted(set(problems), key=problems.index)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def reference_problems(source: str, alt: str, available: set[str] | None) -> list[str]:
    """What is wrong with an image a step shows (`available`: its module's image names, or None
    when they are not known, as in a preview)."""
    problems = []
    match = SOURCE.match(source)
    if not match:
        problems.append(
            f"image '{source[:80]}' must be a file of this module, written images/NAME.svg "
            "(no images from elsewhere or data: images)"
        )
    elif available is not None and match[1] not in available:
        problems.append(f"image '{source}' is not in this module's images folder")
    if not alt.strip():
        problems.append(f"image '{source[:80]}' needs alt text saying what it shows: ![Alt text]({source[:80]})")
    elif FILE_NAME_ALT.match(alt.strip()) or alt.strip() == source:
        problems.append(f"image '{source[:80]}' needs alt text that says what it shows, not its file name")
    return problems
