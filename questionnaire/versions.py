"""Content versions: which sections and statements a round asked, and what two rounds have in common.

A round records the version of the questionnaire it used: a SHA-256 of the sections and
statements (``content_hash``), a readable label (the content's ``version`` and the first
characters of the hash) and a *snapshot* of what was asked (section ids and titles, statement
ids, texts, reverse flags and criteria). Two rounds can be compared on a section when the section
holds the same statements (same id and the same text, the same direction) in both snapshots; the
rest is named, not compared. Scale and thresholds are not in the hash: they do not change what a
person answered.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from questionnaire.loader import Questionnaire

HASH_LABEL_CHARS = 7


@dataclass(frozen=True)
class ContentVersion:
    hash: str  # SHA-256 (hex) of the snapshot
    label: str  # "2026.12 (3fa9c01)"
    snapshot: dict  # {"sections": [{"id", "title", "kind", "items": [{"id", "text", "reverse", "criterion"}]}]}

    @property
    def sections(self) -> dict[str, dict]:
        return {s["id"]: s for s in self.snapshot.get("sections", [])}

    def signature(self, section_id: str) -> tuple | None:
        """What a person answered in this section: the statements' ids, texts, directions and criteria."""
        section = self.sections.get(section_id)
        if section is None:
            return None
        return tuple((i["id"], i["text"], bool(i["reverse"]), i.get("criterion")) for i in section["items"])

    def title(self, section_id: str) -> str | None:
        section = self.sections.get(section_id)
        return None if section is None else section["title"]


def snapshot(q: Questionnaire) -> dict:
    """The sections and statements of the content, as plain JSON-able data (every section, in order)."""
    return {
        "sections": [
            {
                "id": s.id,
                "title": s.title,
                "kind": s.kind.value,
                "items": [
                    {"id": i.id, "text": i.text, "reverse": bool(i.reverse), "criterion": i.criterion} for i in s.items
                ],
            }
            for s in q.sections
        ]
    }


def content_hash(snap: dict) -> str:
    canonical = json.dumps(snap, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def label_for(version: str, digest: str) -> str:
    return f"{version} ({digest[:HASH_LABEL_CHARS]})"


def current(q: Questionnaire) -> ContentVersion:
    """The version of the content the app runs now."""
    snap = snapshot(q)
    digest = content_hash(snap)
    return ContentVersion(digest, label_for(q.settings.version, digest), snap)


def same_section(a: ContentVersion | None, b: ContentVersion | None, section_id: str) -> bool:
    """True when ``section_id`` asked exactly the same statements in both versions (unknown: False)."""
    if a is None or b is None:
        return False
    sa, sb = a.signature(section_id), b.signature(section_id)
    return sa is not None and sa == sb


def same_items(a: ContentVersion | None, b: ContentVersion | None) -> set[str]:
    """Statement ids with the same text and direction in both versions."""
    if a is None or b is None:
        return set()

    def items(v: ContentVersion) -> dict[str, tuple]:
        return {i["id"]: (i["text"], bool(i["reverse"])) for s in v.snapshot["sections"] for i in s["items"]}

    ia, ib = items(a), items(b)
    return {k for k in ia.keys() & ib.keys() if ia[k] == ib[k]}
