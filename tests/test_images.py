"""Chart images (exports.images): complete under concurrency, with finding and stamp; chart legibility at projector size."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import altair as alt
import pandas as pd
import pytest

import scoring
from bench.figures import MUNICIPALITIES, demo_session
from charts.style import SIZES, spec_of
from exports import images
from exports import session as ex
from services import workshop
from services.workshop import FIGURE_TITLES, comparison_figures, load_session_data, statement_figures
from tests.test_workshop_service import answers_for

PNG = b"\x89PNG\r\n\x1a\n"
BIG = SIZES["projector"]


@pytest.fixture
def demo(store, q):
    """4 municipalities x 3 participants, Zuiderveen one short of the minimum, ~8% weet niet."""
    return demo_session(store, q)


def marks(svg: str, kind: str) -> int:
    """How many data marks of ``kind`` ('rect mark', 'bar', 'point') Vega drew."""
    return svg.count(f'role="graphics-symbol" aria-roledescription="{kind}"')


def expected_marks(data, q) -> dict[str, tuple[str, int]]:
    """Per figure: the mark type that carries its data and how many there must be, from scoring."""
    min_n, ms = data.min_n, data.municipalities
    sec = data.section_ids(q)
    by_m = scoring.aggregate_sections(data.sections, data.active, ["municipality"], min_n, q)
    shown_m = by_m[~by_m["suppressed"] & by_m["mean"].notna() & by_m["municipality"].isin(ms)]
    items = [i.id for s in q.scored_sections(sec) for i in s.items]
    shares = scoring.option_shares(data.answers[["participant", "item", "value"]], None, q, [], min_n)
    shares = shares[shares["item"].isin(items)]
    open_items = shares.loc[~shares["suppressed"].astype(bool), "item"].nunique()
    crit = [c.id for s in q.stop_sections(data.stop_ids(q)) for c in s.criteria]
    dist = scoring.advice_distribution(data.advice, data.active, ["municipality"], min_n, q)
    advice_shown = dist.loc[~dist["suppressed"].astype(bool), "municipality"].nunique()
    roles = data.role_groups(q)
    n_adv = len(scoring.advice.possible_advices(q, data.required_kind is not None))  # the advices it can get
    return {
        "heatmap_gemeenten": ("rect mark", len(sec) * len(ms)),
        "spreiding_gemeenten": ("point", len(shown_m)),
        # five answer bars per statement shown, and its own 'weet niet' bar (also at 0 %)
        "stellingen": ("bar", open_items * (len(q.scale.values) + 1)),
        # a cell per criterion x municipality and the colour strip on top of each column
        "stopcriteria_gemeenten": ("rect mark", len(crit) * len(ms) + len(ms)),
        "advies_gemeenten": ("bar", advice_shown * n_adv + (len(ms) - advice_shown)),
        "heatmap_rollen": ("rect mark", len(sec) * len(roles)),
    }


def check_svg(svg: str, key: str, data, q, expected) -> None:
    kind, count = expected[key]
    assert marks(svg, kind) == count, (key, kind, marks(svg, kind), count)
    assert data.session.name in svg and f"{data.n_counted} deelnemers" in svg, key  # the data the image was made from
    if key in ("heatmap_gemeenten", "stopcriteria_gemeenten"):
        assert "te weinig" in svg, key  # Zuiderveen's cells say so
    if key == "advies_gemeenten":
        assert "te weinig deelnemers om te tonen" in svg
    if key == "stellingen":
        assert "weet niet" in svg


def test_every_image_has_its_data_while_answers_stream_in_and_streamlit_draws(store, q, demo):
    """Four threads download every figure as SVG (and some as PNG) three times, while one thread
    adds participants with answers through the Store and another converts Altair charts the way
    Streamlit does (swapping Altair's global data transformer under its own lock)."""
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

    stop = threading.Event()
    written = []

    def writer():
        k = 0
        while not stop.is_set():
            m = MUNICIPALITIES[k % 3]
            p, _ = store.create_participant(cooperation="Regio Rivierenland", municipality=m, role="raadslid", session_id=demo.id)
            store.save_answers(p.id, answers_for(q, [4, 3, 2, 3, 4], 2))
            written.append(p.id)
            k += 1
            stop.wait(0.02)

    frame = pd.DataFrame({"a": range(40), "b": range(40)})
    streamlit_chart = alt.Chart(frame).mark_point().encode(x="a:Q", y="b:Q")

    def streamlit_drawing():
        while not stop.is_set():
            _convert_altair_to_vega_lite_spec(streamlit_chart)

    def download(job: int) -> int:
        checked = 0
        for key in FIGURE_TITLES:
            data = load_session_data(store, q, store.session(demo.id))
            expected = expected_marks(data, q)
            fig = workshop.figure(data, q, key, size="normal")
            check_svg(ex.chart_svg(fig, data=data), key, data, q, expected)
            if (job + checked) % 4 == 0:
                png = ex.chart_png(fig, scale=1, data=data)
                spec = images.image_spec(fig, data=data)
                for name in spec.get("datasets", {}):
                    spec["datasets"][name] = []
                assert png.startswith(PNG) and png != images.chart_png(spec, scale=1), key
            checked += 1
        return checked

    threads = [threading.Thread(target=writer), threading.Thread(target=streamlit_drawing)]
    for t in threads:
        t.start()
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            done = sum(pool.map(download, range(8)))
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert done == 8 * len(FIGURE_TITLES)
    assert len(written) >= 3  # answers really arrived while the images were made


def test_image_spec_carries_finding_stamp_dont_know_and_too_few(store, q, demo):
    data = load_session_data(store, q, demo)
    moment = pd.Timestamp("2026-03-29 01:30", tz="UTC").to_pydatetime()  # 03:30 summer time in Amsterdam
    assert images.dutch_datetime(moment) == "29 maart 2026, 03:30"
    assert images.stamp(data, moment) == "Regio Rivierenland · 29 maart 2026, 03:30 · 11 deelnemers"
    figs = {f.key: f for f in comparison_figures(data, q, size="normal")}
    for f in figs.values():
        spec = images.image_spec(f, data=data, moment=moment)
        subtitle = " ".join(spec["title"]["subtitle"])
        assert subtitle.startswith(f.caption[:40]) and "29 maart 2026" in subtitle, f.key
        assert "container" not in str(spec) and "autosize" not in spec
    likert = images.image_spec(figs["stellingen"])
    rows = [r for rows in likert["datasets"].values() for r in rows if r.get("betekenis") == q.scale.dont_know.label]
    scored = q.scored_sections(list(demo.sections))
    assert len(rows) == sum(len(s.items) for s in scored) and any(r["procent"] > 0 for r in rows)
    heat = images.image_spec(figs["heatmap_gemeenten"])
    labels = [r["label"] for rows in heat["datasets"].values() for r in rows if "label" in r]
    assert labels.count("te weinig\ndeelnemers") == len(scored)  # Zuiderveen, every section


def walk(spec, key: str):
    """Every value of ``key`` anywhere in the spec."""
    if isinstance(spec, dict):
        for k, v in spec.items():
            if k == key:
                yield v
            yield from walk(v, key)
    elif isinstance(spec, list):
        for v in spec:
            yield from walk(v, key)


def projector_figures(data, q):
    return comparison_figures(data, q, size="projector") + statement_figures(data, q, size="projector")


def test_projector_text_is_legible_from_the_back(store, q, demo):
    data = load_session_data(store, q, demo)
    for f in projector_figures(data, q):
        spec = spec_of(f.chart)
        config = spec["config"]
        assert config["axis"]["labelFontSize"] >= 28 and config["axis"]["titleFontSize"] >= 28, f.key
        assert config["legend"]["labelFontSize"] >= 28 and config["legend"]["titleFontSize"] >= 28, f.key
        assert config["title"]["fontSize"] > 28, f.key
        for size in walk(spec, "fontSize"):  # every text mark
            assert size >= 28, (f.key, size)
        for size in walk(spec, "labelFontSize"):
            assert size >= 28, (f.key, size)
        for size in walk(spec, "subtitleFontSize"):  # the sentences under the title
            assert size >= 24, (f.key, size)
        text = str(spec)
        for jargon in ("n < ", "n=", "standaardafwijking", "± "):
            assert jargon not in text, (f.key, jargon)


def test_statement_labels_wrap_instead_of_being_cut(store, q, demo):
    data = load_session_data(store, q, demo)
    for f in [*statement_figures(data, q, size="projector"), workshop.figure(data, q, "stellingen", size="normal")]:
        spec = spec_of(f.chart)
        size = "projector" if spec["config"]["axis"]["labelFontSize"] >= 28 else "normal"
        chars, limit = SIZES[size]["wrap_chars"], SIZES[size]["label_limit"]
        domains = [d for d in walk(spec, "domain") if d and all(isinstance(i, str) for i in d)]
        domain = max(domains, key=lambda d: sum(map(len, d)))  # the statements, not the legend
        statements = list(domain)
        assert statements, f.key
        texts = {" ".join(i.text.split()) for i in q.items}
        for label in statements:
            lines = label.replace("\u200b", "").split("\n")
            # A 28 px character is at most ~0.6 x 28 px wide: every line fits the label limit.
            assert all(len(line) <= chars and len(line) * 0.6 * SIZES[size]["label"] <= limit for line in lines), lines
            assert any(" ".join(lines[k:]) in texts or " ".join(lines[k:-1]) in texts for k in range(2)), lines
        # Vega-Lite cuts a label that is wider than its limit with '…': none in the drawn chart.
        assert "…" not in images.chart_svg(f.chart), f.key


def test_projector_figures_fit_a_1920_by_1080_slide(store, q, demo):
    """At projector size every slide figure (the statements per section) is at most 1080 px high and
    the statements chart, the one with fixed widths, at most 1920 px wide."""
    data = load_session_data(store, q, demo)
    for f in projector_figures(data, q):
        if f.key == "stellingen":
            continue  # all 25 statements: for a scrolling page, not for a slide
        svg = images.chart_svg(f.chart)
        width, height = (int(v) for v in re.search(r'width="(\d+)" height="(\d+)"', svg).groups())
        assert height <= 1080, (f.key, height)
        if f.key.startswith("stellingen_"):
            assert width <= 1920, (f.key, width)
    lower = workshop.figure(data, q, "spreiding_gemeenten", size="projector", height=400)
    assert spec_of(lower.chart)["height"] == 400


def test_spread_flags_only_the_largest_three(store, q, demo):
    """In the demo session every section differs by 1,0 point or more between municipalities; only
    the three largest carry the flag, in the chart, the caption and the table alike."""
    data = load_session_data(store, q, demo)
    f = workshop.figure(data, q, "spreiding_gemeenten", size="projector")
    agg = scoring.aggregate_sections(data.sections, data.active, ["municipality"], data.min_n, q)
    gaps = scoring.section_gaps(agg[["municipality", "section", "mean", "suppressed"]], "municipality", q)
    assert (gaps["gap"] >= 1.0).sum() > 3
    top3 = set(gaps.nlargest(3, "gap")["section"])
    title_of = {s.id: s.title for s in q.sections}
    label_expr = next(e for e in walk(spec_of(f.chart), "labelExpr") if "gespreksonderwerp" in e)
    assert label_expr.count("⚑ gespreksonderwerp (verschil") == 3  # one second label line per flagged section
    flagged = set(f.table.loc[f.table["Gespreksonderwerp"] == "ja", "Onderdeel"])
    assert flagged == {title_of[s] for s in top3}
    assert all(title_of[s] in f.caption for s in top3) and "3 grootste" in f.caption


def test_figure_image_for_the_console(store, q, demo):
    data = load_session_data(store, q, demo)
    png = workshop.figure_image(data, q, "stellingen_eerlijk", "png")
    svg = workshop.figure_image(data, q, "advies_gemeenten", "svg").decode("utf-8")
    # The image counts the participants who count (Zuiderveen's, below the minimum, do not): the exact
    # total minus the shown groups would give the hidden group's size back.
    counted = data.public.n_counted
    assert counted < len(data.active) == 11
    assert png.startswith(PNG) and svg.startswith("<svg") and "Regio Rivierenland" in svg and f"{counted} deelnemers" in svg
    with pytest.raises(ValueError):
        workshop.figure_image(data, q, "advies_gemeenten", "gif")
