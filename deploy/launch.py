"""Start N app processes on one DATABASE_URL behind nginx, keep them running, stop them together.

    python -m deploy.launch [--processes 2] [--listen 127.0.0.1:8080] [--first-port 0]
                            [--database-url URL] [--run-dir DIR] [--no-restart]

Each process is ``python -m streamlit run app.py`` on its own loopback port (the project's
``.streamlit/config.toml`` applies). nginx (Debian's ``/usr/sbin/nginx``) listens on ``--listen`` with
``deploy/nginx.conf.template``: sticky routing on a cookie, websocket upgrade, passive health checks.
A process that dies is started again on the same port (unless ``--no-restart``); its phones reconnect
through nginx to another process meanwhile and resume by their personal link.

When everything answers, one line ``READY <url> <port>,<port>,...`` goes to standard output, and
``<run-dir>/state.json`` holds the pids and ports. SIGTERM or SIGINT stops nginx and every process.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def render_nginx_conf(listen: str, ports: list[int], run_dir: Path, *, as_root: bool | None = None) -> str:
    """The nginx configuration for these app ports (pure: the template with its placeholders filled)."""
    as_root = os.geteuid() == 0 if as_root is None else as_root
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in ports)
    # Started as root, nginx would run its workers as 'nobody', who cannot write the run directory.
    user = "user root;" if as_root else ""
    text = TEMPLATE.read_text(encoding="utf-8")
    for key, value in {"@@USER@@": user, "@@RUN_DIR@@": str(run_dir), "@@SERVERS@@": servers, "@@LISTEN@@": listen}.items():
        text = text.replace(key, value)
    return text


def _healthy(url: str, timeout: float = 2) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status == 200
    except OSError:
        return False


@dataclass
class AppProcess:
    """One ``streamlit run app.py`` on a fixed loopback port."""

    port: int
    env: dict[str, str]
    log: Path
    proc: subprocess.Popen | None = None
    restarts: int = 0
    started_at: float = field(default=0.0)

    def start(self) -> None:
        out = open(self.log, "ab")  # noqa: SIM115 - the child keeps it
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        out.close()
        self.started_at = time.monotonic()

    def wait_healthy(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"app process on port {self.port} stopped with code {self.proc.returncode}; see {self.log}")
            if _healthy(f"http://127.0.0.1:{self.port}/_stcore/health"):
                return
            time.sleep(0.2)
        raise RuntimeError(f"app process on port {self.port} did not answer within {timeout:.0f} s; see {self.log}")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        if self.alive():
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


class Deployment:
    """N app processes and one nginx; ``start()``, ``supervise()`` until stopped, ``stop()``."""

    def __init__(self, processes: int, listen: str, database_url: str, run_dir: Path, first_port: int = 0, restart: bool = True):
        if processes < 1:
            raise ValueError("at least one app process")
        self.listen, self.run_dir, self.restart = listen, run_dir, restart
        ports = [first_port + i for i in range(processes)] if first_port else [free_port() for _ in range(processes)]
        env = {**os.environ, "DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"}
        self.apps = [AppProcess(p, env, run_dir / f"app-{p}.log") for p in ports]
        self.nginx: subprocess.Popen | None = None
        self._stopping = False

    @property
    def url(self) -> str:
        host, _, port = self.listen.rpartition(":")
        return f"http://{host or '127.0.0.1'}:{port}"

    def start(self) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        for app in self.apps:
            app.start()
        for app in self.apps:
            app.wait_healthy()
        conf = self.run_dir / "nginx.conf"
        conf.write_text(render_nginx_conf(self.listen, [a.port for a in self.apps], self.run_dir), encoding="utf-8")
        test = subprocess.run([NGINX, "-t", "-q", "-p", str(self.run_dir), "-c", str(conf)], capture_output=True, text=True)
        if test.returncode != 0:
            raise RuntimeError(f"nginx refuses the configuration: {test.stderr.strip()}")
        log = open(self.run_dir / "nginx-stdout.log", "ab")  # noqa: SIM115
        self.nginx = subprocess.Popen([NGINX, "-p", str(self.run_dir), "-c", str(conf)], stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + 30
        while not _healthy(f"{self.url}/healthz"):
            if self.nginx.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not start; see {self.run_dir / 'nginx-error.log'}")
            time.sleep(0.1)
        self.write_state()

    def write_state(self) -> None:
        state = {
            "url": self.url,
            "nginx_pid": self.nginx.pid if self.nginx else None,
            "apps": [{"port": a.port, "pid": a.proc.pid if a.proc else None, "restarts": a.restarts} for a in self.apps],
        }
        tmp = self.run_dir / "state.json.tmp"
        tmp.write_text(json.dumps(state, indent=2), encoding="utf-8")
        tmp.replace(self.run_dir / "state.json")

    def supervise_once(self) -> None:
        """Start again every app process that died (and nginx, should it have)."""
        for app in self.apps:
            if not app.alive() and self.restart and not self._stopping:
                app.restarts += 1
                app.start()
                self.write_state()
        if self.nginx is not None and self.nginx.poll() is not None and not self._stopping:
            raise RuntimeError(f"nginx stopped with code {self.nginx.returncode}; see {self.run_dir / 'nginx-error.log'}")

    def stop(self) -> None:
        self._stopping = True
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT)  # graceful: finish open requests
            try:
                self.nginx.wait(10)
            except subprocess.TimeoutExpired:
                self.nginx.kill()
        for app in self.apps:
            app.stop()


def main(argv: list[str] | None = None) -> int:
    a = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    a.add_argument("--processes", type=int, default=2)
    a.add_argument("--listen", default="127.0.0.1:8080", help="address:port nginx listens on")
    a.add_argument("--first-port", type=int, default=0, help="first app port (default: free ports)")
    a.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    a.add_argument("--run-dir", type=Path, default=None, help="nginx config, pid, logs (default: a temporary directory)")
    a.add_argument("--no-restart", action="store_true", help="do not start a process again when it dies")
    args = a.parse_args(argv)
    if not args.database_url:
        a.error("give --database-url or DATABASE_URL: all processes must share one database (PostgreSQL)")
    if args.processes > 1 and args.database_url.startswith("sqlite"):
        print("note: several processes on one SQLite file work on one machine, PostgreSQL is the tested set-up", file=sys.stderr)
    run_dir = args.run_dir or Path(tempfile.mkdtemp(prefix="spiegel-deploy-"))
    dep = Deployment(args.processes, args.listen, args.database_url, run_dir.resolve(), args.first_port, not args.no_restart)

    stop = False

    def on_signal(signum, frame):  # noqa: ARG001
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        dep.start()
        print(f"READY {dep.url} {','.join(str(p.port) for p in dep.apps)}", flush=True)
        while not stop:
            dep.supervise_once()
            time.sleep(0.2)
    finally:
        dep.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
