"""`make bench`: speed and memory of the assistant next to Rasa's own `rasa init` starter bot.

Same script, same machine, same run. Everything stays on loopback and every loop is bounded.
Prints one table and writes results/bench.json. Figures:
- latency p50/p95/p99 per message over multi-turn conversations in nl/fr/en (1 conversation at a time);
- throughput (messages/s) with 1, 10 and 50 conversations at once;
- start-up: process start until the first answer; model load: loading the model alone, in-process;
- resident memory (RSS) of each process after the load; training time.
"""
from __future__ import annotations

import json
import os
import shutil
import statistics
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

BIN = Path(sys.executable).parent
ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
CONCURRENCY = (1, 10, 50)
MESSAGES_PER_LEVEL = 300
LATENCY_CONVERSATIONS = 30

OURS = [
    ["Hallo", "Mijn pakje van Coolblue is nooit aangekomen", "Hoeveel kost de verzekering per maand?", "ok", "Bedankt, dag!"],
    ["Bonjour", "Quelqu'un utilise mon identité sur Facebook", "Qui est assuré ?", "Je voudrais parler à quelqu'un", "merci"],
    ["Hi", "Someone paid with my bank card without my consent", "Am I covered abroad?", "give me some tips to stay safe online", "thanks, bye"],
]
BASELINE = [["hello", "I am feeling great", "are you a bot?", "bye"],
            ["hi", "I am sad", "yes", "goodbye"],
            ["hey", "very good", "am I talking to a human?", "see you"]]


@dataclass
class Target:
    name: str
    url: str  # webhook taking {"sender", "message"}
    conversations: List[List[str]]
    pids: Dict[str, int]
    startup_s: float
    training_s: Optional[float]
    model_path: Path


def percentile(values: List[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, from /proc."""
    total = 0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
            pids.extend(int(c) for c in children)
        except OSError:
            continue
    return total / 1024


def send(session: requests.Session, url: str, sender: str, text: str) -> float:
    start = time.perf_counter()
    reply = session.post(url, json={"sender": sender, "message": text}, timeout=120)
    reply.raise_for_status()
    return time.perf_counter() - start


def latency(target: Target) -> Dict[str, float]:
    session, samples = requests.Session(), []
    for i in range(LATENCY_CONVERSATIONS):
        sender = f"lat-{uuid.uuid4().hex[:10]}"
        for text in target.conversations[i % len(target.conversations)]:
            samples.append(send(session, target.url, sender, text) * 1000)
    return {"p50": percentile(samples, 50), "p95": percentile(samples, 95), "p99": percentile(samples, 99),
            "n": len(samples)}


def throughput(target: Target, workers: int) -> float:
    counter = {"sent": 0}
    lock = threading.Lock()

    def worker(index: int) -> None:
        session = requests.Session()
        turns = target.conversations[index % len(target.conversations)]
        sender, turn = f"tp-{uuid.uuid4().hex[:10]}", 0
        while True:
            with lock:
                if counter["sent"] >= MESSAGES_PER_LEVEL:
                    return
                counter["sent"] += 1
            send(session, target.url, sender, turns[turn % len(turns)])
            turn += 1
            if turn % len(turns) == 0:
                sender = f"tp-{uuid.uuid4().hex[:10]}"

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(workers)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return MESSAGES_PER_LEVEL / (time.perf_counter() - start)


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
            requests.post(url, json={"sender": "warmup", "message": "hi"}, timeout=5).raise_for_status()
            return
        except requests.RequestException:
            time.sleep(0.25)
    raise TimeoutError(url)


def start_ours(tmp: Path) -> tuple[Target, Callable[[], None]]:
    from tests.conftest import free_port

    from actions.claims.seed import seed_demo_data

    settings = Settings(rasa_port=free_port(), actions_port=free_port(),
                        tracker_db_url=f"sqlite:///{tmp / 'tracker.db'}",
                        claims_db_url=f"sqlite:///{tmp / 'claims.db'}",
                        # Hundreds of messages a minute from 127.0.0.1, and a warm-up sender polling.
                        extra_env={"CYBERCARE_RATE_LIMIT": "100000/60",
                                   "CYBERCARE_RATE_LIMIT_ADDRESS": "1000000/60"})
    seed_demo_data(settings.claims_db_url)
    started = time.perf_counter()
    stack = start_stack(settings, log_dir=tmp / "logs", timeout=600)
    url = f"{settings.webchat_url}webhook"
    wait_for(url, stack.processes[1].popen)
    startup = time.perf_counter() - started
    training = ROOT / "models" / ".training_seconds"
    target = Target("cyber care", url, OURS,
                    {p.name: p.popen.pid for p in stack.processes}, startup,
                    float(training.read_text()) if training.exists() else None, settings.model)
    return target, stack.stop


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
    figures = {"startup_s": target.startup_s, "training_s": target.training_s}
    figures["latency_ms"] = latency(target)
    figures["throughput_msg_s"] = {str(n): throughput(target, n) for n in CONCURRENCY}
    figures["rss_mb"] = {name: rss_mb(pid) for name, pid in target.pids.items()}
    return figures


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="cybercare-bench-"))
    results: Dict[str, dict] = {}
    try:
        for start in (start_ours, start_baseline):
            print(f"Starting {start.__name__[6:]}...", flush=True)
            target, stop = start(tmp)
            try:
                results[target.name] = measure(target)
            finally:
                stop()
            results[target.name]["model_load_s"] = model_load_seconds(target.model_path, ROOT)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print_table(results)
    out = ROOT / "results"
    out.mkdir(exist_ok=True)
    (out / "bench.json").write_text(json.dumps(results, indent=2))
    return 0


def print_table(results: Dict[str, dict]) -> None:
    names = list(results)
    rows = [
        ("latency p50 (ms)", lambda r: f"{r['latency_ms']['p50']:.0f}"),
        ("latency p95 (ms)", lambda r: f"{r['latency_ms']['p95']:.0f}"),
        ("latency p99 (ms)", lambda r: f"{r['latency_ms']['p99']:.0f}"),
    ] + [
        (f"throughput, {n} conversations (msg/s)", lambda r, n=n: f"{r['throughput_msg_s'][str(n)]:.1f}")
        for n in CONCURRENCY
    ] + [
        ("start-up to first answer (s)", lambda r: f"{r['startup_s']:.1f}"),
        ("model load (s)", lambda r: f"{r['model_load_s']:.1f}"),
        ("RSS, Rasa server (MB)", lambda r: f"{r['rss_mb'].get('rasa', 0):.0f}"),
        ("RSS, action server (MB)", lambda r: f"{r['rss_mb']['actions']:.0f}" if "actions" in r["rss_mb"] else "-"),
        ("training (s)", lambda r: f"{r['training_s']:.0f}" if r["training_s"] else "-"),
    ]
    width = max(len(label) for label, _ in rows)
    print("\n" + " " * width + "".join(f"{n:>14}" for n in names))
    for label, cell in rows:
        print(label.ljust(width) + "".join(f"{cell(results[n]):>14}" for n in names))


if __name__ == "__main__":
    sys.exit(main())
