"""Chart images (PNG, SVG) of the workshop figures, made without a browser and safe from any thread."""

from __future__ import annotations

import copy
import textwrap
from datetime import datetime

import vl_convert

from charts.style import INK, sizes, spec_of
from formatting import NOW, fmt_written

IMAGE_WIDTH = {"projector": 1600, "normal": 900}  # pixels of the plot area for 'container' width


def dutch_datetime(moment: datetime | None = None) -> str:
    """'2 december 2026, 14:05' in Dutch time (formatting.fmt_written; now when left out)."""
    return fmt_written(moment if moment is not None else NOW)


def stamp(data, moment: datetime | None = None) -> str:
    """What an image says about where it comes from: cooperation, moment, number of participants."""
    n = len(data.active)
    people = "1 deelnemer" if n == 1 else f"{n} deelnemers"
    return f"{data.session.name} · {dutch_datetime(moment)} · {people}"


def _fixed_width(spec, width: int):
    """Replace width 'container' (which needs a browser) with a fixed number of pixels."""
    if isinstance(spec, dict):
        return {k: (width if k == "width" and v == "container" else _fixed_width(v, width)) for k, v in spec.items()}
    if isinstance(spec, list):
        return [_fixed_width(v, width) for v in spec]
    return spec


def _size_of(spec: dict) -> str:
    return "projector" if (spec.get("config", {}).get("axis", {}).get("labelFontSize") or 0) >= 20 else "normal"


def image_spec(chart, *, data=None, caption: str | None = None, moment: datetime | None = None, width: int | None = None) -> dict:
    """The spec of ``chart`` (an Altair chart, a spec dict or a ``services.workshop.Figure``) ready
    for vl-convert: fixed width, and under the title the finding sentence and the stamp (cooperation,
    date and time in Dutch time, number of participants) when ``data``/``caption`` are given."""
    if hasattr(chart, "spec") and hasattr(chart, "caption"):  # a Figure
        caption = chart.caption if caption is None else caption
        spec = chart.spec()
    else:
        spec = spec_of(chart)
    size = _size_of(spec)
    spec = _fixed_width(spec, width or IMAGE_WIDTH[size])
    spec.pop("autosize", None)  # the width is fixed now; fitting is for the browser
    if caption or data is not None:
        title = spec.get("title")
        title = copy.deepcopy(title) if isinstance(title, dict) else {"text": title or ""}
        sub = title.get("subtitle") or []
        sub = [sub] if isinstance(sub, str) else list(sub)
        stamped = [stamp(data, moment)] if data is not None else []
        # The finding wraps to the width of the plot (a title line never wraps by itself).
        chars = int(IMAGE_WIDTH[size] / (0.52 * sizes(size)["subtitle"]))
        found = textwrap.wrap(caption, chars) if caption else []
        title["subtitle"] = [*found, *[x for x in sub if x], *stamped]
        title.setdefault("subtitleFontSize", sizes(size)["subtitle"])
        title["subtitleColor"] = INK
        spec["title"] = title
    return spec


def chart_png(chart, scale: float = 2, *, data=None, caption: str | None = None, width: int | None = None) -> bytes:
    """The chart as a PNG image (vl-convert, no browser), with Dutch number formatting. ``width``: the
    plot's pixels where the chart takes its container's width (default IMAGE_WIDTH)."""
    spec = image_spec(chart, data=data, caption=caption, width=width)
    return vl_convert.vegalite_to_png(spec, scale=scale, format_locale="nl-NL")


def chart_svg(chart, *, data=None, caption: str | None = None, width: int | None = None) -> str:
    """The chart as an SVG image (text stays text: sharp at any size, searchable)."""
    return vl_convert.vegalite_to_svg(image_spec(chart, data=data, caption=caption, width=width), format_locale="nl-NL")
