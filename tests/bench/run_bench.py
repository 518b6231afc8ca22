"""`make bench`: speed and memory of the assistant, in its embedded mode (`make run`: SQLite, one
process of each server) and its production mode (`make run-production`: PostgreSQL, Redis, two
workers of each server), next to Rasa's own `rasa init` starter bot.

Same machine, same run. Everything stays on loopback and every loop is bounded.
Prints one table and writes results/bench.json. Figures:
- FAQ conversations (small talk and questions in nl/fr/en, the starter bot's kind of work):
  latency p50/p95/p99 per message (1 conversation at a time), throughput with 1, 10 and 50 at once;
- the real job (tests/bench/scripts.py): whole declarations (forms, action server, coverage check,
  dossier written, handed to the desk) mixed with FAQ conversations, in nl/fr/en: latency, and
  throughput and p95 latency with 10 and 50 conversations at once;
- where the time of one message of the real job goes (tests/bench/breakdown.py);
- start-up: process start until the first answer; model load: loading the model alone, in-process;
- resident memory (RSS) of each Rasa process (each worker in production mode) and of the action
  server, after the load; training time.
"""
from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional

import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bot.servers import start_stack  # noqa: E402
from bot.settings import Settings  # noqa: E402
from tests.bench.breakdown import STEPS, breakdown  # noqa: E402
from tests.bench.scripts import FAQ, Mix, language_of  # noqa: E402

BIN = Path(sys.executable).parent
ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
CONCURRENCY = (1, 10, 50)
MESSAGES_PER_LEVEL = 300
LATENCY_CONVERSATIONS = 30

MIX_LEVELS = (10, 50)
MIX_LATENCY_CONVERSATIONS = 12
BREAKDOWN_CONVERSATIONS = 12
OURS = [FAQ["nl"], FAQ["fr"], FAQ["en"]]
BASELINE = [["hello", "I am feeling great", "are you a bot?", "bye"],
            ["hi", "I am sad", "yes", "goodbye"],
            ["hey", "very good", "am I talking to a human?", "see you"]]
# Hundreds of messages a minute from 127.0.0.1, and a warm-up sender polling: no flood limit here.
NO_FLOOD_LIMIT = {"CYBERCARE_RATE_LIMIT": "100000/60", "CYBERCARE_RATE_LIMIT_ADDRESS": "1000000/60",
                  "CYBERCARE_OFFICE_HOURS": "always"}


@dataclass
class Target:
    name: str
    url: str  # webhook taking {"sender", "message"}
    conversations: List[List[str]]
    pids: Dict[str, int]
    startup_s: float
    training_s: Optional[float]
    model_path: Path
    mix: Optional[Mix] = None  # the real job (this assistant only)
    endpoints: Optional[Path] = None  # its endpoints.yml, for the time breakdown


def percentile(values: List[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def rss_each_mb(pid: int) -> List[float]:
    """Resident memory of a process and of each of its descendants (Sanic's workers), from /proc."""
    sizes, pids = [], [pid]
    while pids:
        current = pids.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
            pids.extend(int(c) for c in children)
        except OSError:
            continue
    return sizes


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children."""
    return sum(rss_each_mb(pid))


def rss_per_process_mb(pid: int) -> float:
    """The largest process of the tree: with workers, each worker holds its own model."""
    return max(rss_each_mb(pid) or [0.0])


# Headers per webhook: ours is called as a trusted server-side caller (Rasa's API token), which may
# name any conversation; `rasa init`'s REST channel needs none.
HEADERS: Dict[str, Dict[str, str]] = {}


def send(session: requests.Session, url: str, sender: str, text: str) -> float:
    start = time.perf_counter()
    reply = session.post(url, json={"sender": sender, "message": text}, headers=HEADERS.get(url), timeout=120)
    reply.raise_for_status()
    return time.perf_counter() - start


def latency(url: str, script: Callable[[int], List[str]], conversations: int) -> Dict[str, float]:
    session, samples = requests.Session(), []
    for i in range(conversations):
        sender = f"lat-{uuid.uuid4().hex[:10]}"
        for text in script(i):
            samples.append(send(session, url, sender, text) * 1000)
    return {"p50": percentile(samples, 50), "p95": percentile(samples, 95), "p99": percentile(samples, 99),
            "n": len(samples)}


def throughput(url: str, script: Callable[[int], List[str]], workers: int) -> Dict[str, float]:
    """MESSAGES_PER_LEVEL messages from `workers` conversations at once (each worker starts a new
    conversation when its script ends): messages/s, and the latency each message had under that load."""
    counter = {"sent": 0, "conversation": 0}
    lock = threading.Lock()
    samples: List[float] = []

    def next_conversation() -> List[str]:
        with lock:
            counter["conversation"] += 1
            index = counter["conversation"]
        return script(index)

    def worker() -> None:
        session = requests.Session()
        turns, turn, sender = next_conversation(), 0, f"tp-{uuid.uuid4().hex[:10]}"
        while True:
            with lock:
                if counter["sent"] >= MESSAGES_PER_LEVEL:
                    return
                counter["sent"] += 1
            took = send(session, url, sender, turns[turn])
            with lock:
                samples.append(took * 1000)
            turn += 1
            if turn == len(turns):
                turns, turn, sender = next_conversation(), 0, f"tp-{uuid.uuid4().hex[:10]}"

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"msg_s": MESSAGES_PER_LEVEL / (time.perf_counter() - start), "p95_ms": percentile(samples, 95)}


def model_load_seconds(model: Path, cwd: Path) -> float:
    """Loads the model alone in a fresh process (what a restart pays before serving)."""
    code = ("import time,asyncio; from rasa.core.agent import load_agent; t=time.perf_counter(); "
            f"asyncio.run(load_agent(model_path={str(model)!r})); print(time.perf_counter()-t)")
    out = subprocess.run([str(BIN / "python"), "-c", code], cwd=cwd, env={**ENV, "PYTHONPATH": str(ROOT)},
                         capture_output=True, text=True, timeout=600, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def wait_for(url: str, process: subprocess.Popen, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: server exited with {process.returncode}")
        try:
            requests.post(url, json={"sender": "warmup", "message": "hi"}, headers=HEADERS.get(url),
                          timeout=5).raise_for_status()
            return
        except requests.RequestException:
            time.sleep(0.25)
    raise TimeoutError(url)


def start_embedded(tmp: Path) -> tuple[Target, Callable[[], None]]:
    from tests.conftest import free_port

    settings = Settings(rasa_port=free_port(), actions_port=free_port(),
                        tracker_db_url=f"sqlite:///{tmp / 'tracker.db'}",
                        claims_db_url=f"sqlite:///{tmp / 'claims.db'}",
                        extra_env={**NO_FLOOD_LIMIT, "CYBERCARE_UPLOADS_DIR": str(tmp / "uploads")})
    return _start_ours("ours, embedded", settings, tmp / "embedded", lambda: None)


def start_production(tmp: Path) -> tuple[Target, Callable[[], None]]:
    """As `make run-production` starts it, on throwaway databases of this machine's PostgreSQL."""
    from bot.services import ensure_database
    from tests.conftest import free_port
    from tests.postgres import database_url, drop_databases

    tracker_url, claims_url = database_url("cc_bench_tracker"), database_url("cc_bench_claims")
    settings = Settings.production_from_env({
        **os.environ, "RASA_PORT": str(free_port()), "ACTIONS_PORT": str(free_port()),
        "TRACKER_DB_URL": tracker_url, "CLAIMS_DB_URL": claims_url})
    settings = dataclasses.replace(settings, extra_env={**NO_FLOOD_LIMIT, "CYBERCARE_UPLOADS_DIR": str(tmp / "uploads")})
    for url in (tracker_url, claims_url):
        ensure_database(url)
    return _start_ours("ours, production", settings, tmp / "production",
                       lambda: drop_databases(tracker_url, claims_url))


def _start_ours(name: str, settings: Settings, tmp: Path, cleanup: Callable[[], None]
                ) -> tuple[Target, Callable[[], None]]:
    from actions.claims.seed import seed_demo_data

    seed_demo_data(settings.claims_db_url)
    started = time.perf_counter()
    stack = start_stack(settings, log_dir=tmp / "logs", timeout=600)
    url = f"{settings.webchat_url}webhook"
    HEADERS[url] = {"Authorization": f"Bearer {stack.settings.api_token}"}
    wait_for(url, stack.processes[1].popen)
    startup = time.perf_counter() - started
    training = ROOT / "models" / ".training_seconds"
    target = Target(name, url, OURS, {p.name: p.popen.pid for p in stack.processes}, startup,
                    float(training.read_text()) if training.exists() else None, settings.model,
                    mix=Mix(settings.claims_db_url, "P" if "production" in name else "E"),
                    endpoints=tmp / "logs" / "endpoints.yml")

    def stop() -> None:
        stack.stop()
        target.mix.engine.dispose()
        cleanup()

    return target, stop


def start_baseline(tmp: Path) -> tuple[Target, Callable[[], None]]:
    from tests.conftest import free_port

    project = tmp / "rasa-init"
    project.mkdir()  # rasa init wants the folder to exist
    started = time.perf_counter()
    subprocess.run([str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(project)], env=ENV,
                   capture_output=True, text=True, timeout=1800, check=True)
    training = time.perf_counter() - started
    model = sorted((project / "models").glob("*.tar.gz"))[-1]
    port = free_port()
    log = open(tmp / "baseline.log", "wb")
    started = time.perf_counter()
    process = subprocess.Popen([str(BIN / "rasa"), "run", "--model", str(model), "--port", str(port),
                                "--interface", "127.0.0.1"], cwd=project, env=ENV, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
    wait_for(url, process)
    target = Target("rasa init", url, BASELINE, {"rasa": process.pid}, time.perf_counter() - started,
                    training, model)

    def stop() -> None:
        process.terminate()
        process.wait(30)

    return target, stop


def measure(target: Target) -> dict:
    figures: dict = {"startup_s": target.startup_s, "training_s": target.training_s}
    faq = lambda i: target.conversations[i % len(target.conversations)]  # noqa: E731
    figures["latency_ms"] = latency(target.url, faq, LATENCY_CONVERSATIONS)
    loads = {str(n): throughput(target.url, faq, n) for n in CONCURRENCY}
    figures["throughput_msg_s"] = {n: load["msg_s"] for n, load in loads.items()}
    figures["p95_under_load_ms"] = {n: load["p95_ms"] for n, load in loads.items()}
    if target.mix is not None:
        figures["job_latency_ms"] = latency(target.url, target.mix.script, MIX_LATENCY_CONVERSATIONS)
        figures["job_load"] = {str(n): throughput(target.url, target.mix.script, n) for n in MIX_LEVELS}
        print("  time breakdown (model loaded in the bench process)...", flush=True)
        figures["breakdown_ms"] = breakdown(target.model_path, target.endpoints, target.mix.script,
                                            BREAKDOWN_CONVERSATIONS, language_of)
    figures["rss_mb"] = {name: rss_mb(pid) for name, pid in target.pids.items()}
    figures["rss_per_process_mb"] = {name: rss_per_process_mb(pid) for name, pid in target.pids.items()}
    figures["processes"] = {name: len(rss_each_mb(pid)) for name, pid in target.pids.items()}
    return figures


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="cybercare-bench-"))
    results: Dict[str, dict] = {}
    model_loads: Dict[Path, float] = {}
    try:
        for start in (start_embedded, start_production, start_baseline):
            print(f"Starting {start.__name__[6:]}...", flush=True)
            target, stop = start(tmp)
            try:
                results[target.name] = measure(target)
            finally:
                stop()
            if target.model_path not in model_loads:  # both modes load the same model
                model_loads[target.model_path] = model_load_seconds(target.model_path, ROOT)
            results[target.name]["model_load_s"] = model_loads[target.model_path]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print_table(results)
    out = ROOT / "results"
    out.mkdir(exist_ok=True)
    (out / "bench.json").write_text(json.dumps(results, indent=2))
    return 0


def _cell(function: Callable[[dict], str]) -> Callable[[dict], str]:
    def cell(result: dict) -> str:
        try:
            return function(result)
        except (KeyError, TypeError):
            return "-"  # a figure this target does not have (the starter bot files no claims)
    return cell


def print_table(results: Dict[str, dict]) -> None:
    names = list(results)
    rows = [
        ("FAQ: latency p50 (ms)", lambda r: f"{r['latency_ms']['p50']:.0f}"),
        ("FAQ: latency p95 (ms)", lambda r: f"{r['latency_ms']['p95']:.0f}"),
        ("FAQ: latency p99 (ms)", lambda r: f"{r['latency_ms']['p99']:.0f}"),
    ] + [
        (f"FAQ: throughput, {n} conversations (msg/s)", lambda r, n=n: f"{r['throughput_msg_s'][str(n)]:.1f}")
        for n in CONCURRENCY
    ] + [
        ("FAQ: p95 latency, 10 conversations (ms)", lambda r: f"{r['p95_under_load_ms']['10']:.0f}"),
        ("real job: latency p50 (ms)", lambda r: f"{r['job_latency_ms']['p50']:.0f}"),
        ("real job: latency p95 (ms)", lambda r: f"{r['job_latency_ms']['p95']:.0f}"),
    ] + [
        (f"real job: throughput, {n} conversations (msg/s)", lambda r, n=n: f"{r['job_load'][str(n)]['msg_s']:.1f}")
        for n in MIX_LEVELS
    ] + [
        ("real job: p95 latency, 10 conversations (ms)", lambda r: f"{r['job_load']['10']['p95_ms']:.0f}"),
    ] + [
        (f"one message, {step.replace('_', ' ')} (ms)", lambda r, step=step: f"{r['breakdown_ms'][step]:.1f}")
        for step in (*STEPS, "rasa_other", "whole")
    ] + [
        ("start-up to first answer (s)", lambda r: f"{r['startup_s']:.1f}"),
        ("model load (s)", lambda r: f"{r['model_load_s']:.1f}"),
        ("Rasa processes", lambda r: f"{r['processes']['rasa']}"),
        ("RSS, each Rasa process (MB)", lambda r: f"{r['rss_per_process_mb']['rasa']:.0f}"),
        ("RSS, Rasa in all (MB)", lambda r: f"{r['rss_mb']['rasa']:.0f}"),
        ("RSS, action server in all (MB)", lambda r: f"{r['rss_mb']['actions']:.0f}"),
        ("training (s)", lambda r: f"{r['training_s']:.0f}"),
    ]
    width = max(len(label) for label, _ in rows)
    print("\n" + " " * width + "".join(f"{n:>18}" for n in names))
    for label, cell in rows:
        print(label.ljust(width) + "".join(f"{_cell(cell)(results[n]):>18}" for n in names))
    base = results.get("rasa init")
    production = results.get("ours, production")
    if base and production:
        print("\nproduction mode / rasa init: "
              f"FAQ throughput at 50 conversations {production['throughput_msg_s']['50'] / base['throughput_msg_s']['50']:.2f}x, "
              f"FAQ p95 at 10 {production['p95_under_load_ms']['10'] / base['p95_under_load_ms']['10']:.2f}x, "
              f"RSS per Rasa process {production['rss_per_process_mb']['rasa'] / base['rss_per_process_mb']['rasa']:.2f}x, "
              f"start-up {production['startup_s'] / base['startup_s']:.2f}x")


if __name__ == "__main__":
    sys.exit(main())
