"""Showing free text (names typed by people) safely."""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&\"'$:=])")


def md(text: str) -> str:
    """Escape text for st.markdown: every ASCII punctuation that Markdown (or Streamlit's LaTeX
    and HTML handling) could act on gets a backslash, so a name is shown as typed and never
    becomes a link, an image, HTML or a formula. Line breaks become spaces."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
