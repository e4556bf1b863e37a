"""Helpers for the API and browser tests: a real database from the sample corpus, and a
real `frontlines serve` process on 127.0.0.1."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Optional

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "examples" / "corpus"
PLACES = ROOT / "examples" / "places" / "aleppo_2016.csv"
FRONTLINES = ROOT / ".venv" / "bin" / "frontlines"
if not FRONTLINES.exists():  # tests run from another environment: use the one running them
    FRONTLINES = Path(sys.executable).with_name("frontlines")

_built: dict[str, Path] = {}


def corpus_db(tmp_path_factory: Any) -> Path:
    """The sample corpus ingested by the real reader (`frontlines ingest`), once a session."""
    if "corpus" not in _built:
        db = tmp_path_factory.mktemp("api-db") / "corpus.db"
        done = subprocess.run([str(FRONTLINES), "ingest", str(CORPUS), "--places", str(PLACES),
                               "--db", str(db), "--no-progress"],
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"ingest failed:\n{done.stdout}\n{done.stderr}"
        _built["corpus"] = db
    return _built["corpus"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, Any, str]:
    """(status, parsed JSON or None, content type) of a GET, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            body, status, ctype = resp.read(), resp.status, resp.headers.get("content-type", "")
    except urllib.error.HTTPError as err:
        body, status, ctype = err.read(), err.code, err.headers.get("content-type", "")
    try:
        data = json.loads(body)
    except ValueError:
        data = body.decode("utf-8", "replace")
    return status, data, ctype


@contextmanager
def serving(db: Path, *extra: str, places: Optional[Path] = PLACES) -> Iterator[str]:
    """`frontlines serve` on a free port of 127.0.0.1; yields its base URL."""
    port = free_port()
    args = [str(FRONTLINES), "serve", "--db", str(db), "--port", str(port)]
    if places is not None:
        args += ["--places", str(places)]
    log = open(db.parent / f"serve-{port}.log", "w")
    proc = subprocess.Popen(args + list(extra), stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                log.flush()
                raise AssertionError(f"serve exited with {proc.returncode}:\n"
                                     + (db.parent / f"serve-{port}.log").read_text())
            try:
                if get(base + "/api/health")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("serve did not answer within 60 s")
            time.sleep(0.2)
        yield base
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()
