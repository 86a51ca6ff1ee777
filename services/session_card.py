"""The sessiekaart: a small self-contained printable HTML page with a session's links, deelnamecode, date and QR code."""

from __future__ import annotations

import html
from datetime import datetime
from zoneinfo import ZoneInfo

import segno

TZ = ZoneInfo("Europe/Amsterdam")

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1A1A1A; margin: 2rem auto; max-width: 46rem; padding: 0 1rem; line-height: 1.4; }
h1 { font-size: 1.7rem; margin: 0 0 0.2rem 0; }
.meta { color: #333; margin: 0 0 1.2rem 0; }
.code { font-family: monospace; font-size: 2.6rem; font-weight: 800; letter-spacing: 0.4rem; color: #0B2545; }
.row { display: flex; gap: 1.5rem; align-items: center; margin-bottom: 1.2rem; }
.row svg { width: 9rem; height: 9rem; flex: none; }
.link { border: 1px solid #8A9096; border-radius: 8px; padding: 0.8rem 1rem; margin: 0 0 1rem 0; break-inside: avoid; }
.link h2 { font-size: 1.15rem; margin: 0 0 0.3rem 0; }
.link p { margin: 0.2rem 0; }
.url { font-family: monospace; font-size: 0.95rem; word-break: break-all; background: #F0F2F6; padding: 0.3rem 0.4rem; border-radius: 4px; display: block; }
.warn { border-left: 5px solid #7A2000; padding: 0.4rem 0.8rem; background: #FBEDE7; }
@media print { body { margin: 0; } a { color: inherit; text-decoration: none; } }
"""


def card_html(
    *, name: str, join_code: str, join_url: str, facilitator_url: str, projector_url: str, created_at: datetime
) -> str:
    """The sessiekaart as one HTML document (no external files: the QR code is inline SVG)."""
    e = lambda s: html.escape(str(s), quote=True)  # noqa: E731
    qr = segno.make(join_url, error="m").svg_inline(scale=4, border=2, dark="#000000", light="#FFFFFF")
    when = created_at.astimezone(TZ)
    return f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Sessiekaart – {e(name)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_CSS}</style></head>
<body>
<h1>Sessiekaart: {e(name)}</h1>
<p class="meta">Samenwerkingsspiegel · sessie aangemaakt op {when:%d-%m-%Y} om {when:%H:%M}</p>
<div class="row">{qr}<div><p>Deelnamecode</p><p class="code">{e(join_code)}</p>
<p>Deelnemers doen mee via <a href="{e(join_url)}">{e(join_url)}</a> of scannen de QR-code.</p></div></div>
<div class="link"><h2>Begeleiderslink (Begeleidersscherm)</h2>
<p>Voor u: de knoppen, de tellingen en de exports van deze sessie.</p>
<a class="url" href="{e(facilitator_url)}">{e(facilitator_url)}</a></div>
<div class="link"><h2>Presentatielink (Presentatiescherm)</h2>
<p>Voor de computer aan de beamer: toont alleen wat de zaal ziet; hiermee kan niemand iets veranderen.</p>
<a class="url" href="{e(projector_url)}">{e(projector_url)}</a></div>
<p class="warn">Bewaar deze kaart goed en deel de begeleiderslink niet met deelnemers: wie hem heeft, kan de sessie
bedienen en de antwoorden downloaden. Een link die uitlekt, trekt u in op het Begeleidersscherm (onder ‘Links’).</p>
</body></html>
"""
