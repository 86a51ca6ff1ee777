"""Load benchmark: N workshop participants answer the questionnaire over Streamlit's own websocket protocol.

    python -m bench.load [--participants 400] [--ramp 20] [--think 3 10] [--out bench/results/....json]
                         [--database-url URL] [--no-bare] [--max-duration 1500] [--py-spy]

What it does (see bench/README.md for the details):

1. Starts the app as a user would: ``python -m streamlit run app.py --server.port <free> --server.address
   127.0.0.1`` in the repository (so ``.streamlit/config.toml`` applies), with ``DATABASE_URL`` pointing at a
   fresh SQLite file in a temp dir (or ``--database-url``). Creates a workshop session through
   ``storage.Store(url).create_session`` (4 municipalities, all sections, all roles, min group 3) and warms the
   server up with one participant in a separate session. None of that is measured.
2. Simulates N participants from this one process (asyncio, one real websocket each to ``/_stcore/stream``):
   open ``/?code=XXXXXX``, pick 'Uw gemeente' and 'Uw rol', press 'Beginnen', follow the page switch to
   ``/vragenlijst?p=<token>``, answer every statement (one rerun per answer: the radio's on_change stores it),
   'Volgende' between steps, 'Afronden…' at the end. Each participant waits for ``script_finished`` and a think
   time (uniform, ``--think``) before the next action, like a person.
3. Measures per answer: send -> ``script_finished`` (client clock), send -> ``answered_at`` written by the
   server inside the transaction (same machine clock), send -> first seen committed by a separate DB poller
   (every 20 ms). Answers lost = acknowledged answers (script_finished, no exception) that are not in the
   database with the same value at the end.
4. CPU: server process CPU (utime+stime from /proc) during the run, per answer and per rerun; then the same
   number of value-changing reruns against a bare one-radio page with the same config, and the ratio.
5. Writes JSON to bench/results/load-<N>-<date>.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import math
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs

import sqlalchemy
import streamlit
import websockets
from sqlalchemy import create_engine, text
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect as ws_connect

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
MUNICIPALITIES = ["Tiel", "Culemborg", "Buren", "West Betuwe"]
BARE_SCRIPT = "import streamlit as st\n\nst.radio('x', [1, 2, 3], index=None)\n"
CLK_TCK = os.sysconf("SC_CLK_TCK")
_NUMBERED = re.compile(r"^\s*\d+\.\s+")
FINISHED_OK = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)


# --------------------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_cpu_seconds(pid: int) -> float:
    """utime + stime of one process (all its threads), from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # fields 14 and 15 of the full line


def machine_busy_seconds() -> float:
    """CPU seconds all processes on the machine were busy (all cores), from /proc/stat."""
    with open("/proc/stat", encoding="ascii") as f:
        v = [int(x) for x in f.readline().split()[1:9]]
    return (sum(v) - v[3] - v[4]) / CLK_TCK  # minus idle and iowait


def proc_status(pid: int) -> dict[str, int]:
    out = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("Threads", "VmRSS"):
                out[key] = int(value.split()[0])
    return out


def _die_with_parent() -> None:
    """In the child: get SIGTERM when the benchmark process dies, so no server is left behind."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class StreamlitServer:
    """``python -m streamlit run <script>`` on a free loopback port, stopped by its own pid."""

    def __init__(self, script: str, cwd: Path, env: dict[str, str], log: Path):
        self.script, self.cwd, self.env, self.log = script, cwd, env, log
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self, timeout: float = 90) -> None:
        cmd = [sys.executable, "-m", "streamlit", "run", self.script,
               "--server.port", str(self.port), "--server.address", "127.0.0.1"]  # fmt: skip
        self._logf = open(self.log, "wb")
        self.proc = subprocess.Popen(
            cmd, cwd=self.cwd, env=self.env, stdout=self._logf, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}; see {self.log}")
            try:
                with urllib.request.urlopen(f"http://{self.base}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        return
            except OSError:
                pass
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"streamlit did not become healthy within {timeout} s; see {self.log}")

    def cpu(self) -> float:
        return proc_cpu_seconds(self.pid)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self._logf.close()

    def log_problems(self) -> dict:
        """Tracebacks in the server log, grouped by the last frame in this repository and the error line."""
        text_ = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        groups: Counter = Counter()
        where, inside = "", False
        for ln in text_.splitlines():
            if ln.startswith("Traceback"):
                where, inside = "", True
            elif inside and ln.startswith('  File "'):
                path, line_no = ln.split('"')[1], ln.rsplit("line ", 1)[-1].split(",")[0]
                ours = path.startswith(str(self.cwd))
                if ours or not where:
                    where = f"{Path(path).relative_to(self.cwd) if ours else Path(path).name}:{line_no}"
            elif inside and ln and not ln.startswith(" "):
                groups[f"{where} {ln.strip()}"[:240]] += 1
                inside = False
        warnings = [ln for ln in text_.splitlines() if " WARNING " in ln][:5]
        return {"tracebacks": sum(groups.values()), "by_cause": dict(groups.most_common(10)), "warnings": warnings}


class ServerGroup:
    """One or more servers of the same app; CPU and memory are summed."""

    def __init__(self, servers: list[StreamlitServer]):
        self.servers = servers

    @property
    def hosts(self) -> list[str]:
        return [s.base for s in self.servers]

    def cpu(self) -> float:
        return sum(s.cpu() for s in self.servers)

    def status(self) -> dict[str, int]:
        out: Counter = Counter()
        for s in self.servers:
            out.update(proc_status(s.pid))
        return dict(out)


# --------------------------------------------------------------------------- statistics


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    s = sorted(values)
    k = (len(s) - 1) * p / 100
    lo, hi = math.floor(k), math.ceil(k)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def delivery_gaps(done_at: list[tuple[float, float]]) -> dict:
    """Gaps between consecutive script_finished arrivals (any participant) while at least one rerun was
    in flight the whole gap: the server delivered nothing for that long, its event loop was starved.
    A quiet moment in which every phone was thinking (e.g. the last few at the end) is no gap.
    ``done_at`` holds (finished at, seconds the rerun took)."""
    import bisect

    times = sorted(t for t, _ in done_at)
    spans = sorted((t - d, t) for t, d in done_at)  # (sent, finished) of every rerun
    starts = [a for a, _ in spans]
    reach, best = [], float("-inf")  # reach[i]: the latest finish among the first i+1 reruns sent
    for _, end in spans:
        best = max(best, end)
        reach.append(best)
    gaps = []
    for a, b in zip(times, times[1:], strict=False):
        k = bisect.bisect_right(starts, a) - 1
        if k >= 0 and reach[k] >= b:  # a rerun sent by a was still waiting at b
            gaps.append(b - a)
    long_ = [g for g in gaps if g > 1.0]
    return {
        "max_s": round(max(gaps), 2) if gaps else None,
        "gaps_over_1s": len(long_),
        "seconds_in_gaps_over_1s": round(sum(long_), 1),
    }


def summary_ms(values_s: list[float]) -> dict:
    ms = [v * 1000 for v in values_s]
    out = {"n": len(ms)}
    for p in (50, 95, 99):
        v = percentile(ms, p)
        out[f"p{p}"] = None if v is None else round(v, 1)
    out["max"] = round(max(ms), 1) if ms else None
    out["mean"] = round(sum(ms) / len(ms), 1) if ms else None
    return out


@dataclass
class Answer:
    token_hash: str
    item: str
    value: int
    t0_wall: float  # time.time() just before the rerun was sent
    acked: bool = False
    finished_s: float | None = None  # send -> script_finished (perf_counter)


@dataclass
class Stats:
    reruns: dict[str, list[float]] = field(default_factory=dict)  # kind -> send->finished seconds
    done_at: list[tuple[float, float]] = field(default_factory=list)  # (monotonic at finish, seconds)
    answers: list[Answer] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    error_samples: list[str] = field(default_factory=list)
    warnings: Counter = field(default_factory=Counter)
    inflight: int = 0
    fragment_reruns: int = 0
    connected: int = 0
    finished_participants: int = 0
    started_participants: int = 0
    upstreams: Counter = field(default_factory=Counter)  # behind nginx: app process -> participants

    def error(self, kind: str, detail: str = "") -> None:
        self.errors[kind] += 1
        if len(self.error_samples) < 25:
            self.error_samples.append(f"{kind}: {detail}"[:300])

    def rerun_done(self, kind: str, seconds: float) -> None:
        self.reruns.setdefault(kind, []).append(seconds)
        self.done_at.append((time.monotonic(), seconds))


# --------------------------------------------------------------------------- protocol client


class RerunFailed(Exception):
    pass


@dataclass
class Run:
    status: int | None = None
    elements: dict[tuple, object] = field(default_factory=dict)  # delta path -> Element proto
    exceptions: list[str] = field(default_factory=list)
    error_alerts: list[str] = field(default_factory=list)

    def of_type(self, kind: str) -> list:
        return [getattr(e, kind) for e in self.elements.values() if e.WhichOneof("type") == kind]


class StreamlitClient:
    """One browser tab, reduced to what Streamlit's frontend does on the wire.

    - BackMsg.rerun_script carries the full ClientState: query string, current page_script_hash, the values
      of all widgets on the page (WidgetStates), a one-shot trigger for a pressed button, the hashes of
      cached ForwardMsgs, and context info (timezone, locale, url).
    - ForwardMsgs: new_session starts a run (and names the page), page_info_changed carries the new query
      string after st.switch_page, delta.new_element carries elements (widget ids and labels), ref_hash
      points at a cached message, script_finished ends a run (FINISHED_EARLY_FOR_RERUN is followed by the
      next run, e.g. after st.switch_page).
    """

    def __init__(self, host: str, stats: Stats, timeout: float):
        self.host, self.stats, self.timeout = host, stats, timeout
        self.ws = None
        self.query_string = ""
        self.page_script_hash = ""
        self.page_name = ""
        self.paths: dict[str, str] = {}  # page_script_hash -> url path, from the navigation message
        self.values: dict[str, WidgetState] = {}  # widget id -> current value (persistent, like the frontend)
        self.fragment_of: dict[str, str] = {}  # widget id -> id of the st.fragment it was drawn in
        self.cache: dict[str, ForwardMsg] = {}
        self.run = Run()
        self.cookie: str | None = None  # behind nginx: the route cookie of this "browser"

    async def connect(self) -> None:
        self.ws = await ws_connect(
            f"ws://{self.host}/_stcore/stream",
            subprotocols=["streamlit"],
            origin=f"http://{self.host}",
            max_size=None,
            ping_interval=None,  # browsers do not ping; the server pings and we answer
            open_timeout=self.timeout,
            close_timeout=2,
            additional_headers={"Cookie": self.cookie} if self.cookie else None,
        )
        self.stats.connected += 1

    async def close(self) -> None:
        if self.ws is not None:
            self.stats.connected -= 1
            try:
                await self.ws.close()
            except Exception:
                pass
            self.ws = None

    def set_string(self, widget_id: str, value: str) -> None:
        self.values[widget_id] = WidgetState(id=widget_id, string_value=value)

    def url(self) -> str:
        path = self.paths.get(self.page_script_hash, self.page_name)
        return f"http://{self.host}/{path}" + (f"?{self.query_string}" if self.query_string else "")

    def _backmsg(self, trigger: str | None, changed: str | None) -> bytes:
        msg = BackMsg()
        cs = msg.rerun_script
        # A widget inside st.fragment reruns only that fragment, as in the frontend.
        cs.fragment_id = self.fragment_of.get(trigger or changed or "", "")
        cs.query_string = self.query_string
        cs.page_script_hash = self.page_script_hash
        cs.page_name = self.page_name if not self.page_script_hash else ""
        cs.widget_states.widgets.extend(self.values.values())
        if trigger:
            cs.widget_states.widgets.append(WidgetState(id=trigger, trigger_value=True))
        cs.cached_message_hashes.extend(self.cache.keys())
        ci = cs.context_info
        ci.timezone, ci.timezone_offset, ci.locale = "Europe/Amsterdam", -60, "nl-NL"
        ci.url, ci.is_embedded, ci.color_scheme = self.url(), False, "light"
        return msg.SerializeToString()

    async def rerun(self, kind: str, trigger: str | None = None, changed: str | None = None) -> tuple[Run, float, float]:
        """Send a rerun and read ForwardMsgs until the run is finished. Returns (run, t0 wall, seconds).

        ``trigger``: id of a pressed button (one-shot trigger_value); ``changed``: id of the widget whose value
        the person just changed (decides whether this is a fragment rerun)."""
        payload = self._backmsg(trigger, changed)
        if self.fragment_of.get(trigger or changed or ""):
            self.stats.fragment_reruns += 1
        self.stats.inflight += 1
        t0_wall, t0 = time.time(), time.perf_counter()
        try:
            await self.ws.send(payload)
            await asyncio.wait_for(self._read_run(), self.timeout)
        except TimeoutError as e:
            self.stats.error(f"timeout:{kind}", f"no script_finished within {self.timeout} s")
            raise RerunFailed("timeout") from e
        except websockets.ConnectionClosed as e:
            self.stats.error(f"ws_closed:{kind}", str(e))
            raise RerunFailed("closed") from e
        finally:
            self.stats.inflight -= 1
        seconds = time.perf_counter() - t0
        self.stats.rerun_done(kind, seconds)
        run = self.run
        for x in run.exceptions:
            self.stats.error(f"exception:{kind}", x)
        for x in run.error_alerts:
            self.stats.error(f"error_alert:{kind}", x)
        if run.status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
            self.stats.error(f"compile_error:{kind}")
        return run, t0_wall, seconds

    async def _read_run(self) -> None:
        previous, self.run = self.run, Run()
        while True:
            data = await self.ws.recv()
            msg = ForwardMsg()
            msg.ParseFromString(data)
            kind = msg.WhichOneof("type")
            if kind == "ref_hash":
                cached = self.cache.get(msg.ref_hash)
                if cached is None:
                    self.stats.error("protocol", f"unknown ref_hash {msg.ref_hash}")
                    continue
                full = ForwardMsg()
                full.CopyFrom(cached)
                full.metadata.CopyFrom(msg.metadata)
                msg, kind = full, cached.WhichOneof("type")
            elif msg.metadata.cacheable and msg.hash:
                self.cache[msg.hash] = msg
            if kind == "new_session":
                self.run = Run()  # a (re)run starts: the page is rebuilt from here
                if msg.metadata.run.fragment_ids:  # a fragment run redraws only the fragment's elements
                    self.run.elements = dict(previous.elements)
                self.page_script_hash = msg.new_session.page_script_hash
            elif kind == "navigation":
                for p in msg.navigation.app_pages:
                    self.paths[p.page_script_hash] = p.url_pathname
            elif kind == "page_info_changed":
                self.query_string = msg.page_info_changed.query_string
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                el = msg.delta.new_element
                self.run.elements[tuple(msg.metadata.delta_path)] = el
                etype = el.WhichOneof("type")
                if msg.delta.fragment_id:
                    wid = getattr(getattr(el, etype), "id", "")
                    if wid:
                        self.fragment_of[wid] = msg.delta.fragment_id
                if etype == "exception":
                    if el.exception.is_warning:
                        self.stats.warnings["exception_warning"] += 1
                    else:
                        self.run.exceptions.append(f"{el.exception.type}: {el.exception.message}"[:200])
                elif etype == "alert":
                    if el.alert.format == Alert.ERROR:
                        self.run.error_alerts.append(el.alert.body[:200])
                    elif el.alert.format == Alert.WARNING:
                        self.stats.warnings["warning_alert"] += 1
            elif kind == "session_event" and msg.session_event.WhichOneof("type") == "script_compilation_exception":
                self.run.exceptions.append("compile: " + msg.session_event.script_compilation_exception.message[:200])
            elif kind == "page_not_found":
                self.run.exceptions.append("page_not_found")
            elif kind == "script_finished":
                if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # st.switch_page / st.rerun: the next run follows on the same request
                self.run.status = msg.script_finished
                self._after_run()
                return

    def _after_run(self) -> None:
        """Like the frontend: forget values of widgets that are gone, take values the server set."""
        present = {}
        for el in self.run.elements.values():
            proto = getattr(el, el.WhichOneof("type"))
            wid = getattr(proto, "id", "")
            if wid:
                present[wid] = proto
        self.values = {k: v for k, v in self.values.items() if k in present}
        for wid, proto in present.items():
            if not getattr(proto, "set_value", False):
                continue
            fields = proto.DESCRIPTOR.fields_by_name
            if "raw_value" in fields and proto.HasField("raw_value"):  # radio, selectbox
                self.set_string(wid, proto.raw_value)
            elif "value" in fields and isinstance(proto.value, str):  # text_input, text_area (the open question)
                self.set_string(wid, proto.value)

    def radio(self, label: str):
        return next((r for r in self.run.of_type("radio") if r.label == label), None)

    def button(self, *labels: str):
        return next((b for b in self.run.of_type("button") if any(b.label.startswith(x) for x in labels)), None)


# --------------------------------------------------------------------------- participants


@dataclass
class Ctx:
    hosts: list[str]
    join_code: str
    stats: Stats
    think: tuple[float, float]
    timeout: float
    seed: int
    dont_know: float = 0.0
    dont_know_label: str = ""
    item_by_text: dict[str, str] = field(default_factory=dict)
    code_by_label: dict[str, int] = field(default_factory=dict)
    proxy: bool = False  # hosts is nginx (deploy/): load the page first for the route cookie, as a browser does


def load_page_through_proxy(host: str, timeout: float) -> tuple[str, str]:
    """GET / through nginx as a new browser: (the Cookie header to send on, the app process that answered)."""
    with urllib.request.urlopen(f"http://{host}/", timeout=timeout) as r:
        cookies = [c.split(";", 1)[0] for c in r.headers.get_all("Set-Cookie") or []]
        return "; ".join(cookies), r.headers.get("X-Spiegel-Upstream", "?")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


async def _think(rng: random.Random, think: tuple[float, float]) -> None:
    if think[1] > 0:
        await asyncio.sleep(rng.uniform(*think))


async def app_participant(i: int, ctx: Ctx) -> None:
    """One person: join by code, answer every statement, Volgende between steps, Afronden at the end."""
    stats, rng = ctx.stats, random.Random(ctx.seed * 100_003 + i)
    stats.started_participants += 1
    c = StreamlitClient(ctx.hosts[i % len(ctx.hosts)], stats, ctx.timeout)
    try:
        try:
            if ctx.proxy:
                c.cookie, upstream = await asyncio.to_thread(load_page_through_proxy, c.host, ctx.timeout)
                stats.upstreams[upstream] += 1
            await c.connect()
        except Exception as e:  # noqa: BLE001 - any failure to open counts
            stats.error("connect_failed", repr(e))
            return
        c.query_string = f"code={ctx.join_code}"
        run, _, _ = await c.rerun("load")
        muni, role, go = c.radio("Uw gemeente"), c.radio("Uw rol"), c.button("Beginnen")
        if not (muni and role and go):
            stats.error("protocol", "join form not found")
            return
        await _think(rng, ctx.think)
        c.set_string(muni.id, rng.choice(list(muni.options)))
        c.set_string(role.id, rng.choice(list(role.options)))
        await c.rerun("join", trigger=go.id)
        token = parse_qs(c.query_string).get("p", [None])[0]
        if not token:
            stats.error("protocol", f"no page switch to the questionnaire (query {c.query_string!r})")
            return
        th = hash_token(token)
        for _step in range(50):
            for radio in c.run.of_type("radio"):
                if radio.id in c.values:
                    continue
                item = ctx.item_by_text.get(_NUMBERED.sub("", radio.label))
                if item is None:
                    stats.error("protocol", f"unknown statement {radio.label[:60]!r}")
                    return
                await _think(rng, ctx.think)
                if rng.random() < ctx.dont_know:
                    label = ctx.dont_know_label
                else:
                    label = rng.choice([o for o in radio.options if o != ctx.dont_know_label])
                c.set_string(radio.id, label)
                answer = Answer(th, item, ctx.code_by_label[label], 0.0)
                stats.answers.append(answer)
                run, answer.t0_wall, seconds = await c.rerun("answer", changed=radio.id)
                if run.status in FINISHED_OK and not run.exceptions and not run.error_alerts:
                    answer.acked, answer.finished_s = True, seconds
            nxt, fin = c.button("Volgende"), c.button("Afronden", "Toch afronden")
            if nxt is not None:
                await _think(rng, ctx.think)
                await c.rerun("next", trigger=nxt.id)
            elif fin is not None:
                await _think(rng, ctx.think)
                run, _, _ = await c.rerun("finish", trigger=fin.id)
                if not any("Uw resultaat" in h.body for h in run.of_type("heading")):
                    stats.error("protocol", "no result page after Afronden")
                    return
                stats.finished_participants += 1
                return
            else:
                stats.error("protocol", "no Volgende or Afronden button")
                return
        stats.error("protocol", "too many steps")
    except RerunFailed:
        pass
    except Exception as e:  # noqa: BLE001 - count, never crash the benchmark
        stats.error("client_exception", repr(e))
    finally:
        await c.close()


async def bare_participant(i: int, ctx: Ctx, reruns: int) -> None:
    """The same number of value-changing reruns against ``st.radio('x', [1, 2, 3], index=None)``."""
    stats, rng = ctx.stats, random.Random(ctx.seed * 100_003 + i)
    stats.started_participants += 1
    c = StreamlitClient(ctx.hosts[i % len(ctx.hosts)], stats, ctx.timeout)
    try:
        try:
            await c.connect()
        except Exception as e:  # noqa: BLE001
            stats.error("connect_failed", repr(e))
            return
        await c.rerun("load")
        radio = c.radio("x")
        if radio is None:
            stats.error("protocol", "radio x not found")
            return
        current = None
        for _ in range(reruns):
            await _think(rng, ctx.think)
            current = rng.choice([o for o in radio.options if o != current])
            c.set_string(radio.id, current)
            await c.rerun("rerun", changed=radio.id)
        stats.finished_participants += 1
    except RerunFailed:
        pass
    except Exception as e:  # noqa: BLE001
        stats.error("client_exception", repr(e))
    finally:
        await c.close()


# --------------------------------------------------------------------------- database


def _ts(value) -> float:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


class DbPoller(threading.Thread):
    """One connection, polling new answer rows every ``interval`` s; notes when each row was first seen."""

    def __init__(self, url: str, interval: float = 0.02):
        super().__init__(daemon=True, name="db-poller")
        self.url, self.interval = url, interval
        self.sqlite = url.startswith("sqlite")
        self.seen: dict[tuple[int, str], float] = {}  # (participant_id, item) -> time.time() first seen
        self.stop_event = threading.Event()
        self.polls = 0
        self.poll_errors = 0

    def run(self) -> None:
        engine = create_engine(sa_url(self.url))
        last_rowid, since = 0, datetime(2000, 1, 1)
        with engine.connect() as c:
            while not self.stop_event.is_set():
                try:
                    if self.sqlite:  # rowid order is commit order under SQLite's single writer
                        rows = c.execute(
                            text("SELECT rowid, participant_id, item FROM answers WHERE rowid > :r ORDER BY rowid"),
                            {"r": last_rowid},
                        ).all()
                        if rows:
                            last_rowid = rows[-1][0]
                        rows = [(r[1], r[2]) for r in rows]
                    else:  # other databases: a window on answered_at (no index; slower, so poll less often)
                        got = c.execute(
                            text("SELECT participant_id, item, answered_at FROM answers WHERE answered_at >= :s"),
                            {"s": since},
                        ).all()
                        if got:
                            newest = max(datetime.fromtimestamp(_ts(r[2]), UTC) for r in got)
                            since = newest.replace(tzinfo=None) - timedelta(seconds=5)
                        rows = [(r[0], r[1]) for r in got]
                    c.rollback()
                    now = time.time()
                    for key in rows:
                        self.seen.setdefault(key, now)
                    self.polls += 1
                except Exception:  # noqa: BLE001 - a busy database must not stop the poller
                    self.poll_errors += 1
                    try:
                        c.rollback()
                    except Exception:  # noqa: BLE001
                        pass
                self.stop_event.wait(self.interval if self.sqlite else max(self.interval, 0.2))
        engine.dispose()


def sa_url(url: str) -> str:
    """The URL as SQLAlchemy needs it here; bare postgresql:// means psycopg 3, as in storage.database_url."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def final_answers(url: str, session_id: int) -> dict[tuple[str, str], tuple[int, int, float]]:
    """(token_hash, item) -> (participant_id, value, answered_at) for every answer of the session."""
    engine = create_engine(sa_url(url))
    with engine.connect() as c:
        rows = c.execute(
            text(
                "SELECT p.token_hash, a.item, a.participant_id, a.value, a.answered_at FROM answers a "
                "JOIN participants p ON p.id = a.participant_id WHERE p.session_id = :s"
            ),
            {"s": session_id},
        ).all()
    engine.dispose()
    return {(r[0], r[1]): (r[2], r[3], _ts(r[4])) for r in rows}


# --------------------------------------------------------------------------- driving a run


async def sampler(server: ServerGroup, stats: Stats, out: list, stop: asyncio.Event, t_start: float) -> None:
    """Once a second: server CPU (cores busy), client CPU, connections, in-flight reruns, answers acked."""
    last_srv, last_cli, last_t, last_done = server.cpu(), time.process_time(), time.monotonic(), 0
    last_all = machine_busy_seconds()
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), 1.0)
        except TimeoutError:
            pass
        now, srv, cli, all_ = time.monotonic(), server.cpu(), time.process_time(), machine_busy_seconds()
        dt = now - last_t
        window = [s for (t, s) in stats.done_at[last_done:]]
        last_done = len(stats.done_at)
        st = server.status()
        out.append(
            {
                "t": round(now - t_start, 1),
                "server_cpu": round((srv - last_srv) / dt, 2),
                "client_cpu": round((cli - last_cli) / dt, 2),
                "other_cpu": round(max(0.0, (all_ - last_all) - (srv - last_srv) - (cli - last_cli)) / dt, 2),
                "connected": stats.connected,
                "inflight": stats.inflight,
                "reruns_per_s": round(len(window) / dt, 1),
                "rerun_p95_ms": None if not window else round(percentile(window, 95) * 1000),
                "answers_acked": sum(1 for a in stats.answers if a.acked),
                "errors": sum(stats.errors.values()),
                "server_threads": st.get("Threads"),
                "server_rss_mb": round(st.get("VmRSS", 0) / 1024),
            }
        )
        last_srv, last_cli, last_t, last_all = srv, cli, now, all_


async def drive(server: ServerGroup, make, n: int, ramp: float, max_duration: float) -> dict:
    """Start n participant coroutines at ``ramp`` per second; stop at max_duration. Returns timing and CPU."""
    stats: Stats = make.stats
    timeline: list = []
    stop = asyncio.Event()
    t_start = time.monotonic()
    cpu0, cli0, wall0, all0 = server.cpu(), time.process_time(), time.time(), machine_busy_seconds()
    samp = asyncio.create_task(sampler(server, stats, timeline, stop, t_start))
    tasks = []
    for i in range(n):
        delay = t_start + i / ramp - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(make(i)))
    remaining = max(1.0, max_duration - (time.monotonic() - t_start))
    done, pending = await asyncio.wait(tasks, timeout=remaining)
    for t in pending:
        t.cancel()
    if pending:
        stats.error("deadline", f"{len(pending)} participants still busy after {max_duration} s; cancelled")
        stats.errors["deadline"] = len(pending)
        await asyncio.wait(pending, timeout=10)
    duration = time.monotonic() - t_start
    cpu = server.cpu() - cpu0
    cli = time.process_time() - cli0
    other = max(0.0, machine_busy_seconds() - all0 - cpu - cli)
    stop.set()
    await samp
    return {
        "duration_s": round(duration, 1),
        "wall_start": wall0,
        "server_cpu_s": round(cpu, 2),
        "server_cpu_cores_busy": round(cpu / duration, 2),
        "client_cpu_s": round(cli, 2),
        "client_cpu_cores_busy": round(cli / duration, 2),
        # Other processes on the machine (e.g. someone's test run): they compete for the same cores.
        "other_cpu_cores_busy": round(other / duration, 2),
        "timeline": timeline,
        "unfinished_participants": len(pending),
    }


class Maker:
    def __init__(self, fn, ctx: Ctx, *args):
        self.fn, self.ctx, self.args, self.stats = fn, ctx, args, ctx.stats

    def __call__(self, i: int):
        return self.fn(i, self.ctx, *self.args)


# --------------------------------------------------------------------------- py-spy (optional)


def start_py_spy(pid: int, out: Path, duration: int, gil: bool, rate: int = 50) -> subprocess.Popen | None:
    exe = shutil.which("py-spy")
    if exe is None:
        print("py-spy not installed (pip install py-spy); profiling skipped", file=sys.stderr)
        return None
    cmd = [exe, "record", "--pid", str(pid), "--format", "raw", "--output", str(out), "--rate", str(rate),
           "--duration", str(duration), "--nonblocking"] + (["--gil"] if gil else [])  # fmt: skip
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


PROJECT_DIRS = ("app.py", "pages/", "ui/", "storage/", "services/", "questionnaire/", "scoring/", "charts/", "exports/")
AREAS = [
    ("sqlite3 (C, in the driver)", ("DefaultDialect.do_", "Cursor", "fetchone", "fetchall")),
    ("sqlalchemy", ("sqlalchemy/",)),
    ("app code", PROJECT_DIRS),
    ("pandas/numpy/altair/pydantic", ("pandas/", "numpy/", "altair/", "pydantic", "narwhals/", "jsonschema")),
    ("streamlit script runner + elements", ("streamlit/",)),
    ("event loop / websocket / uvicorn", ("asyncio/", "uvicorn/", "starlette/", "websockets/", "selectors.py", "socket.py")),
    ("threading", ("threading.py",)),
]


def _area(frame: str) -> str:
    for name, keys in AREAS:
        if any(k in frame for k in keys):
            return name
    return "other"


def summarise_py_spy(raw: Path, top: int = 25) -> dict:
    """Collapsed stacks -> share of samples: per area of the leaf frame, and per function (inclusive)."""
    if not raw.exists():
        return {}
    incl, incl_app, areas, total = Counter(), Counter(), Counter(), 0
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit() or not stack:
            continue
        n = int(count)
        total += n
        frames = [re.sub(r":\d+\)$", ")", f) for f in stack.split(";")]
        for f in set(frames):
            incl[f] += n
            if any(f"({d}" in f for d in PROJECT_DIRS):
                incl_app[f] += n
        areas[_area(frames[-1])] += n

    def pct(c: Counter) -> dict:
        return {k: round(100 * v / total, 1) for k, v in c.most_common(top)}

    boring = ("threading.py", "runpy", "click/", "streamlit/web/", "__main__", "asyncio/runners", "base_events.py")
    return {
        "samples": total,
        "self_by_area_pct": pct(areas),
        "app_functions_inclusive_pct": pct(incl_app),
        "inclusive_pct": pct(Counter({k: v for k, v in incl.items() if not any(b in k for b in boring)})),
    }


# --------------------------------------------------------------------------- main


def machine_info() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_model": model,
        "loadavg_before": os.getloadavg(),
        "python": platform.python_version(),
        "streamlit": streamlit.__version__,
        "sqlalchemy": sqlalchemy.__version__,
        "websockets": websockets.__version__,
    }


def build_ctx(hosts: list[str], code: str, stats: Stats, a) -> Ctx:
    from questionnaire.loader import load_questionnaire

    q = load_questionnaire()
    ctx = Ctx(hosts, code, stats, tuple(a.think), a.rerun_timeout, a.seed, proxy=getattr(a, "proxy", False))
    ctx.item_by_text = {i.text: i.id for s in q.sections for i in s.items}
    ctx.code_by_label = {q.scale.label(v): v for v in [*q.scale.values, q.scale.dont_know.code]}
    ctx.dont_know, ctx.dont_know_label = a.dont_know, q.scale.dont_know.label
    return ctx


def run_app(a, tmp: Path) -> dict:
    from questionnaire.loader import load_questionnaire
    from storage import Store

    url = a.database_url or f"sqlite:///{tmp / 'load.db'}"
    q = load_questionnaire()
    store = Store(url)
    # The sections a begeleider gets by default (optional modules off): what a real evening asks.
    roles, sections = [r.id for r in q.settings.roles], list(q.default_section_ids)
    session, _ = store.create_session("Regio Loadtest", MUNICIPALITIES, roles, sections, 3)
    warm, _ = store.create_session("Regio Opwarmen", MUNICIPALITIES, roles, sections, 3)
    store.dispose()

    env = {**os.environ, "DATABASE_URL": url, "PYTHONUNBUFFERED": "1"}
    servers = [StreamlitServer("app.py", a.app_dir, env, tmp / f"app-server-{k}.log") for k in range(a.servers)]
    server = ServerGroup(servers)
    deployment = None
    try:
        if a.proxy:
            # The deployment of deploy/: nginx with sticky cookie routing in front of the app processes.
            from deploy.launch import Deployment

            deployment = Deployment(a.servers, f"127.0.0.1:{free_port()}", url, tmp / "deploy", restart=False)
            deployment.start()
            for s, app in zip(servers, deployment.apps, strict=True):
                s.port, s.proc, s.log = app.port, app.proc, app.log
            hosts = [deployment.url.split("//", 1)[1]]
        else:
            for s in servers:
                s.start()
            hosts = server.hosts
        # Warm-up (not measured): imports, caches, first page of every kind.
        wstats = Stats()
        wctx = build_ctx(hosts, warm.join_code, wstats, a)
        wctx.think = (0.0, 0.0)

        warmers = len(servers) * (4 if a.proxy else 1)  # behind nginx: enough to reach every process

        async def warm_up() -> None:
            await asyncio.gather(*(app_participant(k, wctx) for k in range(warmers)))

        asyncio.run(warm_up())
        if wstats.errors or wstats.finished_participants != warmers:
            raise RuntimeError(f"warm-up participant failed: {dict(wstats.errors)} {wstats.error_samples[:3]}")

        stats = Stats()
        ctx = build_ctx(hosts, session.join_code, stats, a)
        poller = DbPoller(url)
        poller.start()
        spy = None
        raw = tmp / "py-spy.txt"
        if a.py_spy:
            est = int(a.participants / a.ramp + a.py_spy_seconds)
            spy = start_py_spy(servers[0].pid, raw, min(est, a.py_spy_seconds), a.py_spy_gil, a.py_spy_rate)
        res = asyncio.run(drive(server, Maker(app_participant, ctx), a.participants, a.ramp, a.max_duration))
        time.sleep(0.5)  # the poller's last round
        poller.stop_event.set()
        poller.join(timeout=10)
        if spy is not None:
            try:
                spy.wait(timeout=a.py_spy_seconds + 60)
            except subprocess.TimeoutExpired:
                spy.terminate()
        logs = [s.log_problems() for s in servers]
        log = {
            "tracebacks": sum(x["tracebacks"] for x in logs),
            "by_cause": dict(sum((Counter(x["by_cause"]) for x in logs), Counter())),
            "warnings": [w for x in logs for w in x["warnings"]][:5],
        }
    finally:
        if deployment is not None:
            deployment.stop()
        else:
            for s in servers:
                s.stop()

    db = final_answers(url, session.id)
    sent = stats.answers
    acked = [x for x in sent if x.acked]
    lost = [x for x in acked if db.get((x.token_hash, x.item), (None, None))[1] != x.value]
    stored_lat, visible_lat = [], []
    for x in acked:
        row = db.get((x.token_hash, x.item))
        if row is None or row[1] != x.value:
            continue
        stored_lat.append(row[2] - x.t0_wall)
        seen = poller.seen.get((row[0], x.item))
        if seen is not None:
            visible_lat.append(seen - x.t0_wall)
    all_reruns = sum(len(v) for v in stats.reruns.values())
    res.update(
        {
            "db": "sqlite (fresh temp file)" if not a.database_url else re.sub(r"//[^@/]*@", "//***@", url),
            "participants_started": stats.started_participants,
            "participants_finished": stats.finished_participants,
            "answers_sent": len(sent),
            "answers_acked": len(acked),
            "answers_stored": len(db),
            "answers_lost": len(lost),
            "lost_samples": [f"{x.token_hash[:8]}/{x.item}={x.value}" for x in lost[:10]],
            "reruns": all_reruns,
            "fragment_reruns": stats.fragment_reruns,
            "errors": dict(stats.errors),
            "errors_total": sum(stats.errors.values()),
            "error_samples": stats.error_samples,
            "warnings": dict(stats.warnings),
            "latency_ms": {
                "answer_to_script_finished": summary_ms([x.finished_s for x in acked]),
                "answer_to_stored": summary_ms(stored_lat),
                "answer_to_visible_in_db_poll20ms": summary_ms(visible_lat),
                **{f"rerun_{k}": summary_ms(v) for k, v in stats.reruns.items() if k != "answer"},
            },
            "delivery_gaps": delivery_gaps(stats.done_at),
            "cpu_per_answer_ms": round(1000 * res["server_cpu_s"] / max(1, len(acked)), 2),
            "cpu_per_rerun_ms": round(1000 * res["server_cpu_s"] / max(1, all_reruns), 2),
            "db_poller": {"polls": poller.polls, "errors": poller.poll_errors},
            "server_log": log,
            "participants_per_process": dict(stats.upstreams) if a.proxy else None,
        }
    )
    if a.py_spy:
        res["py_spy"] = summarise_py_spy(raw)
        if raw.exists():
            keep = (a.out or RESULTS / "x").with_suffix(".py-spy.txt")
            shutil.copy(raw, keep)
            res["py_spy"]["raw"] = str(keep.relative_to(ROOT)) if keep.is_relative_to(ROOT) else str(keep)
    return res


def run_bare(a, tmp: Path, reruns_per_participant: int) -> dict:
    bare = tmp / "bare"
    (bare / ".streamlit").mkdir(parents=True)
    shutil.copy(ROOT / ".streamlit" / "config.toml", bare / ".streamlit" / "config.toml")
    (bare / "bare.py").write_text(BARE_SCRIPT, encoding="utf-8")
    server = StreamlitServer("bare.py", bare, {**os.environ, "PYTHONUNBUFFERED": "1"}, tmp / "bare-server.log")
    server.start()
    try:
        wstats = Stats()
        asyncio.run(bare_participant(0, Ctx([server.base], "", wstats, (0.0, 0.0), a.rerun_timeout, a.seed), 3))
        stats = Stats()
        ctx = Ctx([server.base], "", stats, tuple(a.think), a.rerun_timeout, a.seed)
        res = asyncio.run(
            drive(
                ServerGroup([server]),
                Maker(bare_participant, ctx, reruns_per_participant),
                a.participants,
                a.ramp,
                a.max_duration,
            )
        )
    finally:
        server.stop()
    value_reruns = stats.reruns.get("rerun", [])
    all_reruns = sum(len(v) for v in stats.reruns.values())
    res.update(
        {
            "reruns": all_reruns,
            "value_reruns": len(value_reruns),
            "errors": dict(stats.errors),
            "errors_total": sum(stats.errors.values()),
            "error_samples": stats.error_samples,
            "latency_ms": {"rerun": summary_ms(value_reruns)},
            "delivery_gaps": delivery_gaps(stats.done_at),
            "cpu_per_rerun_ms": round(1000 * res["server_cpu_s"] / max(1, all_reruns), 2),
        }
    )
    res.pop("wall_start", None)
    return res


# What the phone waits (client side: the action sent until Streamlit's script_finished arrived), in ms.
# Issue 15: 400 participants on one process; 1,000 through nginx on PostgreSQL.
TARGETS_400 = {"tap": {"p95": 300, "p99": 1000}, "join": {"p95": 1500}, "finish": {"p95": 1500}}
TARGETS_PROXY_1000 = {"tap": {"p95": 300}, "join": {"p95": 2000}}
# Where each interaction's latency lives in latency_ms.
PHONE_METRICS = {
    "tap": "answer_to_script_finished",
    "join": "rerun_join",
    "next": "rerun_next",
    "finish": "rerun_finish",
    "load": "rerun_load",
}
PHONE_LABELS = {
    "tap": "tap on an answer → screen updated",
    "join": "join (Beginnen → questionnaire)",
    "next": "Volgende → next step",
    "finish": "Afronden → result page",
    "load": "open the join link → form shown",
}


def phone_targets(participants: int, proxy: bool) -> dict:
    return TARGETS_PROXY_1000 if proxy and participants > 400 else TARGETS_400


def judge(app: dict, targets: dict) -> list[str]:
    """Every target that was missed, in words (0 lost and 0 errors always count)."""
    missed = []
    if app["answers_lost"]:
        missed.append(f"{app['answers_lost']} lost")
    if app["errors_total"]:
        missed.append(f"{app['errors_total']} errors")
    for kind, limits in targets.items():
        got = app["latency_ms"].get(PHONE_METRICS[kind], {})
        for pct, limit in limits.items():
            value = got.get(pct)
            if value is None or value > limit:
                missed.append(f"{kind} {pct} {value} ms > {limit} ms")
    return missed


def markdown(r: dict) -> str:
    app, bare = r["app"], r.get("bare")
    lat = app["latency_ms"]

    def p(d: dict) -> str:
        return " / ".join("–" if d.get(k) is None else f"{d[k]:.0f}" for k in ("p50", "p95", "p99"))

    rows = [
        ("participants (finished / started)", f"{app['participants_finished']} / {app['participants_started']}"),
        ("ramp, think time", f"{r['ramp']}/s, {r['think_s'][0]}–{r['think_s'][1]} s"),
        ("app servers, duration", f"{r.get('app_servers', 1)}, {app['duration_s']} s"),
        (
            "answers sent / acked / stored / lost",
            f"{app['answers_sent']} / {app['answers_acked']} / {app['answers_stored']} / **{app['answers_lost']}**",
        ),
        ("errors", f"**{app['errors_total']}** {app['errors'] or ''}"),
        # The headline: what the phone waits for each interaction (client clock, until script_finished).
        *((f"**phone waits**: {PHONE_LABELS[k]} p50/p95/p99 (ms)", p(lat.get(m, {}))) for k, m in PHONE_METRICS.items()),
        ("answer → stored (answered_at) p50/p95/p99 (ms)", p(lat["answer_to_stored"])),
        ("answer → visible in DB (poll 20 ms) p50/p95/p99 (ms)", p(lat["answer_to_visible_in_db_poll20ms"])),
        ("server CPU: cores busy (of nproc)", f"{app['server_cpu_cores_busy']} (of {r['machine']['nproc']})"),
        ("client CPU / other processes: cores busy", f"{app['client_cpu_cores_busy']} / {app.get('other_cpu_cores_busy')}"),
        (
            "no script_finished for > 1 s while a rerun waited (times, total s, longest s)",
            f"{app['delivery_gaps']['gaps_over_1s']}, {app['delivery_gaps']['seconds_in_gaps_over_1s']}, {app['delivery_gaps']['max_s']}",
        ),
        ("server CPU per answer / per rerun (ms)", f"{app['cpu_per_answer_ms']} / {app['cpu_per_rerun_ms']}"),
    ]
    if bare:
        rows += [
            (
                "bare page: CPU per rerun (ms), rerun p95 (ms)",
                f"{bare['cpu_per_rerun_ms']}, {p(bare['latency_ms']['rerun']).split(' / ')[1]}",
            ),
            (
                "ratio app/bare (per answer; per rerun)",
                f"{r['ratio_app_per_answer_to_bare_per_rerun']}; {r['ratio_app_to_bare_per_rerun']}",
            ),
        ]
    t = r["targets"]
    limits = "; ".join(f"{k} " + ", ".join(f"{pct} ≤ {ms} ms" for pct, ms in v.items()) for k, v in t["phone_ms"].items())
    rows.append((f"targets (0 lost, 0 errors; phone waits: {limits})", "met" if t["met"] else f"**not met**: {', '.join(t['missed'])}"))
    out = ["| metric | value |", "| --- | --- |"] + [f"| {k} | {v} |" for k, v in rows]
    return "\n".join(out)


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--participants", type=int, default=400)
    ap.add_argument("--ramp", type=float, default=20, help="participants started per second")
    # People read a statement of 10-20 words and choose: 3-10 s per tap is a quick reader. The
    # stress case (--think 0.3 1.0) is 10x faster than anybody reads and measures the ceiling.
    ap.add_argument("--think", type=float, nargs=2, default=[3.0, 10.0], metavar=("MIN", "MAX"),
                    help="think time before every action, uniform between MIN and MAX seconds (3 10)")  # fmt: skip
    ap.add_argument("--dont-know", type=float, default=0.08, help="share of answers that are 'Weet niet / n.v.t.'")
    ap.add_argument("--database-url", default=None, help="default: a fresh SQLite file in a temp dir")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--no-bare", action="store_true", help="skip the bare one-radio comparison run")
    ap.add_argument("--max-duration", type=float, default=1500, help="stop each run after this many seconds")
    ap.add_argument("--rerun-timeout", type=float, default=120, help="a rerun without script_finished by then is an error")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--py-spy", action="store_true", help="sample the app server with py-spy during the run")
    ap.add_argument("--py-spy-seconds", type=int, default=60)
    ap.add_argument("--py-spy-rate", type=int, default=50, help="samples per second")
    ap.add_argument("--py-spy-gil", action="store_true", help="only sample threads holding the GIL")
    ap.add_argument("--keep-tmp", action="store_true")
    ap.add_argument("--servers", type=int, default=1,
                    help="start K app servers on one database; participants are spread round-robin (as a sticky proxy would)")  # fmt: skip
    ap.add_argument("--proxy", action="store_true",
                    help="run the --servers app processes behind nginx as deploy/ does (sticky cookie), clients go through it")  # fmt: skip
    ap.add_argument("--app-dir", type=Path, default=ROOT,
                    help="run app.py (and its .streamlit/config.toml) from this directory, e.g. a patched copy")  # fmt: skip
    a = ap.parse_args(argv)

    # A SIGTERM ends the run through the finally blocks: servers stopped, temp dir removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    today = date.today().isoformat()
    a.out = a.out or RESULTS / f"load-{a.participants}-{today}.json"
    tmp = Path(tempfile.mkdtemp(prefix="bench-load-"))
    machine = machine_info()
    try:
        print(f"app run: {a.participants} participants, ramp {a.ramp}/s, think {a.think[0]}–{a.think[1]} s …", file=sys.stderr)
        app = run_app(a, tmp)
        bare = None
        if not a.no_bare:
            per = max(1, round(app["answers_sent"] / max(1, app["participants_started"])))
            print(f"bare run: {a.participants} participants × {per} reruns …", file=sys.stderr)
            bare = run_bare(a, tmp, per)
    finally:
        if not a.keep_tmp:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"kept {tmp}", file=sys.stderr)

    targets = phone_targets(a.participants, a.proxy)
    missed = judge(app, targets)
    result = {
        "benchmark": "load",
        "date": today,
        "participants": a.participants,
        "ramp": a.ramp,
        "think_s": list(a.think),
        "dont_know_share": a.dont_know,
        "rerun_timeout_s": a.rerun_timeout,
        "app": app,
        "bare": bare,
        "ratio_app_per_answer_to_bare_per_rerun": round(app["cpu_per_answer_ms"] / bare["cpu_per_rerun_ms"], 1) if bare else None,
        "ratio_app_to_bare_per_rerun": round(app["cpu_per_rerun_ms"] / bare["cpu_per_rerun_ms"], 1) if bare else None,
        "targets": {"lost": 0, "errors": 0, "phone_ms": targets, "met": not missed, "missed": missed},
        "machine": machine,
        "app_dir": str(a.app_dir),
        "app_servers": a.servers,
        "command": "python -m bench.load " + " ".join(argv if argv is not None else sys.argv[1:]),
    }
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(markdown(result))
    print(f"\nwritten to {a.out}")
    return result


if __name__ == "__main__":
    main()
