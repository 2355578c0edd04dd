"""The PDF parts' cache: each part's page count and files, in the output folder, for the next build.

A part's page count is keyed by what shapes its pages (pdf_parts.key); its
files by that and where it starts (its first folio, and for the front matter
the contents page's numbers). What a build adds is written only once the
edition has succeeded, and what it did not use is forgotten then.
"""

from __future__ import annotations

import json
from pathlib import Path

from publish.output import write_bytes


class Cache:
    """Each part's page count (keyed without its first folio) and files (keyed with it), in *folder*.

    What a build adds is written by ``save``, once the edition has succeeded.
    """

    def __init__(self, folder: Path | None, code: str):
        self.folder = folder / "pdf-parts" if folder else None  # None: no cache
        self.code = code
        self.new: dict[str, tuple[dict, dict[str, bytes]]] = {}
        self.used: set[str] = set()

    def get(self, key: str) -> dict | None:
        if self.folder is None:
            return None
        try:
            return json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def files(self, key: str, variants: tuple[str, ...]) -> dict[str, bytes] | None:
        if self.get(key) is None:
            return None
        try:
            return {variant: (self.folder / f"{key}.{variant}.pdf").read_bytes() for variant in variants}
        except OSError:
            return None

    def put(self, key: str, meta: dict, pdfs: dict[str, bytes] | None = None) -> None:
        self.new[key] = (meta, pdfs or {})

    def save(self) -> None:
        """Write what this build laid out; forget the parts of earlier builds that it did not use."""
        if self.folder is None:
            return
        try:  # a cache that cannot be written only costs time
            for key, (meta, pdfs) in self.new.items():
                for variant, data in pdfs.items():
                    write_bytes(self.folder / f"{key}.{variant}.pdf", data)
                write_bytes(self.folder / f"{key}.json", json.dumps(meta).encode())
            for path in self.folder.iterdir():
                if path.name.split(".")[0] not in self.used:
                    path.unlink(missing_ok=True)
        except OSError:
            pass
