"""Page styling: large touch targets on phones, clean print, and Dutch where Streamlit speaks English."""

from __future__ import annotations

import json

import streamlit as st

_BASE_CSS = """
<style>
/* Thumb-sized answer options: every option is a full-width block of at least 48px. */
[data-testid="stRadioGroup"] { gap: 0.45rem; width: 100%; }
[data-testid="stRadioGroup"] > div { width: 100%; }
[data-testid="stRadioGroup"] [data-testid="stRadioOption"] {
  min-height: 48px !important; padding: 0.5rem 0.8rem !important; margin: 0 !important; box-sizing: border-box !important;
  border: 1px solid #8A9096 !important; border-radius: 10px !important; width: 100% !important;
  align-items: center !important; background: #FFFFFF !important; cursor: pointer;
}
[data-testid="stRadioGroup"] [data-testid="stRadioOption"]:has(input:checked) { border: 2px solid #0B5394 !important; background: #E3EDFA !important; }
[data-testid="stRadioGroup"] [data-testid="stRadioOption"]:has(input:focus-visible) { outline: 3px solid #0B5394 !important; outline-offset: 2px; }
[data-testid="stRadioOption"] p { font-size: 1.05rem !important; }
[data-testid="stRadio"] > label[data-testid="stWidgetLabel"] p { font-size: 1.15rem !important; font-weight: 600 !important; line-height: 1.35 !important; }
[data-testid="stRadio"] { margin-top: 0.9rem; }
.stButton button, .stDownloadButton button, .stFormSubmitButton button, .stLinkButton a {
  min-height: 48px; font-size: 1.05rem;
}
/* The step's progress stays in sight: sticky under Streamlit's (now opaque) header, the count to the right. */
[data-testid="stHeader"] { background: #FFFFFF; }
[data-testid="stMain"] { scroll-padding-top: 8.5rem; }  /* a focused answer is never hidden under the bar */
[data-testid="stLayoutWrapper"]:has(> .st-key-step_progress) { position: sticky; top: 3.75rem; z-index: 5; }
.st-key-step_progress { position: relative; background: #FFFFFF; padding: 0.3rem 0 0.6rem 0; border-bottom: 1px solid #C9CED4; }
.st-key-step_progress [data-testid="stElementContainer"]:has(.step-progress) { position: absolute; top: 0.3rem; right: 0; width: auto !important; }
.step-progress-count { font-weight: 600; font-size: 0.95rem; line-height: 1.6; }
@media (max-width: 340px) {  /* zoomed in or a very small screen: the count goes under the bar, never over the step */
  .st-key-step_progress [data-testid="stElementContainer"]:has(.step-progress) { position: static; }
}
/* The step heading takes the focus after Volgende/Vorige (for screen readers), without a focus ring: it is not a control. */
h1[tabindex="-1"]:focus, h2[tabindex="-1"]:focus { outline: none; }
h2[id^="stap-"] [data-testid="stHeaderActionElements"] { display: none; }  /* no link icon beside a step's title */
.statement { font-size: 1.15rem; font-weight: 600; margin: 1.2rem 0 0.4rem 0; line-height: 1.35; }
.statement-nr { color: #555; font-weight: 400; margin-right: 0.3rem; }
.band-pill { display: inline-block; padding: 0.1rem 0.6rem; border-radius: 999px; font-weight: 600; border: 1px solid #333; }
.signal { display:inline-block; width: 1.1rem; height: 1.1rem; border-radius: 50%; vertical-align: -0.15rem; margin-right: 0.4rem; border: 1px solid #333; }
@media (max-width: 640px) {
  h1 { font-size: 2rem !important; }
  h2 { font-size: 1.6rem !important; }  /* headings keep their order in size too: h1 > h2 > h3 */
  h3 { font-size: 1.3rem !important; }
  .block-container { padding-top: 2.5rem !important; padding-left: 1rem !important; padding-right: 1rem !important; }
}
@media print {
  header, [data-testid="stToolbar"], [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
  .stButton, .stDownloadButton, .stLinkButton, [data-testid="stExpander"], .no-print, iframe { display: none !important; }
  .block-container { padding-top: 0 !important; max-width: 100% !important; }
  [data-testid="stVegaLiteChart"], .stTable, table { break-inside: avoid; }
}
</style>
"""

# Streamlit writes lang="en" into its page and a few English words of its own (form hints, the
# "No results" of a search, screen-reader labels such as "Help for …"). Streamlit has no setting for
# them, so one script, installed once per browser tab, corrects the live document: the page
# language, a fixed list of texts and labels (a MutationObserver catches every redraw), and the
# "x van y beantwoord" of a questionnaire step, counted from the checked answers in the browser
# (each statement is redrawn on its own, so a count written by the server would lag behind).
_NL_JS = """
<script>
(function () {
  const win = window.parent && window.parent.document ? window.parent : window;
  const doc = win.document;
  doc.documentElement.setAttribute("lang", "nl");
  if (win.__spiegelNl) { win.__spiegelNl(); return; }
  const TEXT = {
    "No results": "Geen resultaten",
    "Skip to main content": "Naar de inhoud",
  };
  const LABEL = {
    "Help": "Uitleg", "Clear value": "Wissen", "Clear all": "Alles wissen", "Open": "Openen",
    "Close": "Sluiten", "Selected values": "Gekozen", "Increment": "Eén meer", "Decrement": "Eén minder",
    "Link to heading": "Link naar dit kopje", "progress": "voortgang", "Copy to clipboard": "Kopiëren",
    "Main menu": "Menu", "Dismiss": "Sluiten", "Scroll tabs left": "Tabs naar links",
    "Scroll tabs right": "Tabs naar rechts", "Stop script": "Stoppen", "Show data": "Toon de gegevens",
    "Show chart": "Toon de grafiek", "Download as PNG": "Download als PNG",
    "Copy Vega-Lite spec": "Kopieer de grafiekdefinitie", "Fullscreen": "Volledig scherm",
    "Close fullscreen": "Volledig scherm sluiten", "Toggle fullscreen": "Volledig scherm aan of uit",
    "Clear selection": "Keuze wissen", "Select all": "Alles kiezen", "Search": "Zoeken",
  };
  for (const [en, nl] of Object.entries(LABEL)) if (/ /.test(en) && !(en in TEXT)) TEXT[en] = nl;  // their tooltips
  const PREFIX = [["Help for ", "Uitleg bij "], ["Remove ", "Verwijder "]];
  const PRESS = /^Press (Enter|Ctrl\\+Enter|⌘\\+Enter) to (submit form|apply)$/;
  const MAX = /^You can only select up to (\\d+) options?\\. Remove an option first\\.$/;
  // What a search list says to screen readers only (a live region): "12 options available.", "Utrecht, selected".
  const LIVE = [
    [/^1 option available\\.$/, () => "1 keuze beschikbaar."],
    [/^(\\d+) options available\\.$/, (m) => m[1] + " keuzes beschikbaar."],
    [/^(.+), selected$/, (m) => m[1] + ", gekozen"],
  ];
  function nl(v) {
    if (v in LABEL) return LABEL[v];
    for (const [en, dutch] of PREFIX) if (v.startsWith(en)) return dutch + v.slice(en.length);
    return null;
  }
  function fixText(node) {
    const t = node.nodeValue.trim();
    let v = TEXT[t];
    if (!v) { const m = MAX.exec(t); if (m) v = "U kunt er hooguit " + m[1] + " kiezen. Haal er eerst een weg."; }
    if (!v) {  // the hint under a text field: "Press Enter to submit form", "Press Ctrl+Enter to apply"
      const m = PRESS.exec(t);
      if (m) v = "Druk op " + m[1] + (m[2] === "submit form" ? " om te versturen" : " om te bevestigen");
    }
    if (!v && node.parentElement && node.parentElement.closest("[aria-live]")) {
      for (const [re, make] of LIVE) { const m = re.exec(t); if (m) { v = make(m); break; } }
    }
    if (v) node.nodeValue = v;
  }
  function fixTree(root) {
    if (root.nodeType === 3) { fixText(root); return; }
    if (root.nodeType !== 1) return;
    const walker = doc.createTreeWalker(root, 4);
    while (walker.nextNode()) fixText(walker.currentNode);
    const els = [root, ...root.querySelectorAll("[aria-label], [title]")];
    for (const el of els) {
      for (const a of ["aria-label", "title"]) {
        const v = el.getAttribute && el.getAttribute(a);
        const d = v && nl(v);
        if (d) el.setAttribute(a, d);
      }
    }
  }
  function countAnswers() {
    for (const bar of doc.querySelectorAll(".step-progress[data-total]")) {
      const total = parseInt(bar.dataset.total, 10);
      const groups = doc.querySelectorAll('[class*="st-key-statement_"] [data-testid="stRadioGroup"]');
      let answered = 0;
      for (const g of groups) if (g.querySelector("input:checked")) answered++;
      const text = bar.dataset.template.replace("{answered}", Math.min(answered, total)).replace("{total}", total);
      const count = bar.querySelector(".step-progress-count");
      if (count && count.textContent !== text) count.textContent = text;
    }
  }
  let pending = false;
  function soon() {
    if (pending) return;
    pending = true;
    win.requestAnimationFrame(() => { pending = false; countAnswers(); });
  }
  new win.MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "attributes") { fixTree(r.target); continue; }
      if (r.type === "characterData") { fixText(r.target); continue; }
      for (const n of r.addedNodes) fixTree(n);
    }
    soon();
  }).observe(doc.body, { subtree: true, childList: true, characterData: true, attributes: true,
                         attributeFilter: ["aria-label", "title"] });
  doc.addEventListener("change", soon, true);
  win.__spiegelNl = () => { fixTree(doc.body); countAnswers(); };
  win.__spiegelNl();
})();
</script>
"""

# After Volgende/Vorige the new step must open at its top, not where the old one was scrolled to
# (Streamlit keeps the scroll position of its main container). Rendered only in the run that moved,
# and with a counter in it, so the browser runs it once per move.
_OPEN_AT_JS = """
<script>
(function () {
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  const main = doc.querySelector('[data-testid="stMain"]');
  function top() {
    if (main) main.scrollTo({ top: 0 });
    if (doc.scrollingElement) doc.scrollingElement.scrollTo({ top: 0 });
  }
  top();
  // The heading of the new step may be drawn a moment after this script runs: look for it a while.
  let tries = 0;
  (function focusHeading() {
    const heading = doc.getElementById(%(anchor)s) || doc.querySelector('[data-testid="stMain"] h1');
    if (!heading) { if (++tries < 100) setTimeout(focusHeading, 30); return; }
    top();
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: true });
  })();
})(/* %(nonce)s */);
</script>
"""


def apply() -> None:
    st.html(_BASE_CSS)
    st.html(_NL_JS, unsafe_allow_javascript=True)


def open_at(anchor: str, nonce: int) -> None:
    """Scroll the page to its top and give the heading with id ``anchor`` (else the page's h1) the
    focus: screen readers then read the new step's title. Call it in the run that follows a move; a new
    ``nonce`` per move makes the browser run it again."""
    st.html(_OPEN_AT_JS % {"anchor": json.dumps(anchor), "nonce": int(nonce)}, unsafe_allow_javascript=True)


def band_colour_css(position: int) -> str:
    from charts.style import BAND_FILL

    return BAND_FILL.get(position, "#EEEEEE")
