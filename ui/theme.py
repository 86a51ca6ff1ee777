"""Page styling: large touch targets on phones, clean print, Dutch page language."""

from __future__ import annotations

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

# Streamlit writes lang="en" into its page; the app speaks Dutch, so correct it in the live document.
_LANG_JS = """
<script>
(function () {
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  doc.documentElement.setAttribute("lang", "nl");
})();
</script>
"""


def apply() -> None:
    st.html(_BASE_CSS)
    st.html(_LANG_JS, unsafe_allow_javascript=True)


def band_colour_css(position: int) -> str:
    from charts.style import BAND_FILL

    return BAND_FILL.get(position, "#EEEEEE")
