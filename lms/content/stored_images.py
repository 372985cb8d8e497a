"""A module's pictures in the database: kept in step with its images/ folder, written back by
export, and found by the hash in their address. Functions here flush; callers commit.

Images are content, not learner data: a file gone from the folder takes its row with it
(the steps that showed it no longer can, as `content check` will have said).
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from lms.content.figures import IMAGE_PREFIX, image_url
from lms.content.images import ImageSpec
from lms.content.models import ContentAsset, Module
from lms.extensions import db


def sync_images(module_id: int, images: tuple[ImageSpec, ...]) -> bool:
    """Make the module's stored pictures those of its folder; say whether any changed."""
    stored = {a.name: a for a in db.session.scalars(sa.select(ContentAsset).where(ContentAsset.module_id == module_id))}
    changed = False
    for image in images:
        asset = stored.pop(image.name, None)
        if asset is not None and asset.sha256 == image.sha256 and asset.media_type == image.media_type:
            continue
        asset = asset or ContentAsset(module_id=module_id, name=image.name)
        asset.media_type, asset.data, asset.sha256 = image.media_type, image.data, image.sha256
        db.session.add(asset)
        changed = True
    for gone in stored.values():
        db.session.delete(gone)
        changed = True
    db.session.flush()
    return changed


def image_urls(module_id: int) -> dict[str, str]:
    """What a step of the module writes (`images/NAME.svg`) -> the address its picture is served at."""
    rows = db.session.execute(
        sa.select(ContentAsset.name, ContentAsset.sha256).where(ContentAsset.module_id == module_id)
    ).all()
    return {f"images/{name}": image_url(sha256, name) for name, sha256 in rows}


def image_names(module_id: int) -> set[str]:
    return {url.removeprefix("images/") for url in image_urls(module_id)}


def export_images(module_id: int, folder: Path) -> list[Path]:
    """Write the module's pictures into folder/images; return the files written."""
    written = []
    for name, data in db.session.execute(
        sa.select(ContentAsset.name, ContentAsset.data).where(ContentAsset.module_id == module_id)
    ):
        path = folder / "images" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


def find_image(sha256: str, name: str) -> tuple[bytes, str] | None:
    """The bytes and media type of a stored picture by its address, if a published module has it."""

    row = db.session.execute(
        sa.select(ContentAsset.data, ContentAsset.media_type)
        .join(Module, Module.id == ContentAsset.module_id)
        .where(ContentAsset.sha256 == sha256, ContentAsset.name == name, Module.published)
        .limit(1)
    ).first()
    return (bytes(row[0]), row[1]) if row else None


def find_image_at(path: str) -> tuple[bytes, str] | None:
    """A stored picture by the path of its address (`/images/<sha256>/<name>`), for PDFs."""
    parts = path.removeprefix(IMAGE_PREFIX).split("/") if path.startswith(IMAGE_PREFIX) else []
    return find_image(*parts) if len(parts) == 2 else None
