"""Showing free text (names typed by people) safely, as text and never as markup."""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&\"'$:=])")
# U+2060 WORD JOINER: invisible, no line break, not a letter. Streamlit's Markdown turns a bare URL,
# www.… and an e-mail address into a link, and :material/…: and :shortcode: into an icon or emoji,
# on the text *after* backslash escapes are resolved, so escaping alone does not stop them. A word
# joiner right after every ':', between 'www' and '.', and before '@' breaks each of those patterns
# while the text looks exactly the same.
JOINER = "\u2060"
_WWW = re.compile(r"(?i)(www)(\.)")


def md(text: str) -> str:
    """Escape text for st.markdown (and every label Streamlit renders as Markdown): every ASCII
    punctuation that Markdown (or Streamlit's LaTeX and HTML handling) could act on gets a
    backslash, and a word joiner breaks autolinks, icons and emoji shortcodes, so a name is shown
    as typed and never becomes a link, an icon, an image, HTML or a formula. Line breaks become spaces."""
    plain = " ".join(str(text).split())
    plain = _WWW.sub(rf"\1{JOINER}\2", plain).replace("@", f"{JOINER}@")
    escaped = _MD_SPECIAL.sub(r"\\\1", plain)
    return escaped.replace(":", ":" + JOINER)


def shown(text: str) -> str:
    """The text as a person reads it on the page (what ``md`` renders to, without the joiners)."""
    return " ".join(str(text).split())


def too_long(value: str, limit: int, field: str) -> str | None:
    """A Dutch message when ``value`` is longer than ``limit`` characters (None when it fits).
    Used instead of ``st.text_input(max_chars=…)``, which silently empties a longer paste."""
    n = len((value or "").strip())
    if n <= limit:
        return None
    count = f"{n:,}".replace(",", ".")  # Dutch thousands separator
    return f"{field} is te lang: hooguit {limit} tekens, u gaf er {count}. Maak de tekst korter."
