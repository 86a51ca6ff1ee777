"""Render every workshop figure (python -m bench.figures) of a realistic demo session as PNG and SVG into artifacts/ to look at."""

from __future__ import annotations

import argparse
import random
import tempfile
from pathlib import Path

from questionnaire.loader import Questionnaire, load_questionnaire
from storage import Store

MUNICIPALITIES = ["Berkdal", "Meerwijk", "Ooststad", "Zuiderveen"]


def demo_session(store: Store, q: Questionnaire, *, per_municipality: int = 3, seed: int = 7, small: str = "Zuiderveen"):
    """4 municipalities x ``per_municipality`` participants (``small`` gets one fewer than the
    minimum), all sections but 'signalen', about 8% 'weet niet'. Returns the stored session."""
    rng = random.Random(seed)
    sections = [s.id for s in q.sections if s.id != "signalen"]
    session, _ = store.create_session("Regio Rivierenland", MUNICIPALITIES, [r.id for r in q.settings.roles], sections, 3)
    roles = ["raadslid", "wethouder", "griffier", "raadslid"]
    items = [i for s in q.sections if s.id in sections for i in s.items]
    for k, m in enumerate(MUNICIPALITIES):
        lean = [4.2, 3.0, 2.4, 3.6][k % 4]
        for j in range(per_municipality - (1 if m == small else 0)):
            p, _ = store.create_participant(
                cooperation="Regio Rivierenland", municipality=m, role=roles[j % 4], session_id=session.id
            )
            values = {}
            stop = {i.id for sec in q.stop_sections(sections) for i in sec.items}
            for i in items:
                if rng.random() < 0.08:
                    values[i.id] = q.scale.dont_know.code
                    continue
                v = min(5, max(1, round(rng.gauss(6 - lean if i.id in stop else lean, 0.8))))
                values[i.id] = 6 - v if i.reverse else v
            store.save_answers(p.id, values)
    return store.session(session.id)


def main() -> None:
    from exports import session as ex
    from services.workshop import comparison_figures, load_session_data, statement_figures

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default="artifacts")
    ap.add_argument("--size", default="projector")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(exist_ok=True)
    q = load_questionnaire()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/demo.db")
        session = demo_session(store, q)
        data = load_session_data(store, q, session)
        for f in comparison_figures(data, q, size=args.size) + statement_figures(data, q, size=args.size)[:2]:
            (out / f"fig-{args.size}-{f.key}.png").write_bytes(ex.chart_png(f, data=data))
            (out / f"fig-{args.size}-{f.key}.svg").write_text(ex.chart_svg(f, data=data))
            print(f.key, "|", f.caption)
        store.dispose()


if __name__ == "__main__":
    main()
