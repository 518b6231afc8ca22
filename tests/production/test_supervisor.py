"""The supervisor starts a dead process again, after a back-off that grows while the process keeps
dying and is forgotten once it has stayed up; real processes, killed with SIGKILL, and a clock the
test moves (so nothing waits for real seconds)."""
from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest

from bot.servers import Process, _popen
from bot.supervisor import MAX_BACKOFF_SECONDS, STABLE_AFTER_SECONDS, Supervisor


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def sleeper(tmp_path: Path) -> Process:
    cmd = [sys.executable, "-c", "import time; print('up', flush=True); time.sleep(120)"]
    log = tmp_path / "sleeper.log"
    return Process("sleeper", _popen(cmd, dict(os.environ), log), "http://127.0.0.1:9/", log, cmd=cmd,
                   env=dict(os.environ))


def wait_for_ups(process: Process, count: int) -> None:
    """Waits until the process has printed its start line `count` times in all (its log is appended to)."""
    for _ in range(400):
        if process.log_path.read_text().count("up") >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"expected {count} starts in the log: {process.log_path.read_text()!r}")


def kill(process: Process) -> None:
    os.kill(process.popen.pid, signal.SIGKILL)
    process.popen.wait(10)


@pytest.mark.stack  # starts a process of its own
def test_a_killed_process_is_started_again_after_a_growing_backoff(tmp_path):
    process, clock, lines = sleeper(tmp_path), Clock(), []
    process.started_at = clock.now
    supervisor = Supervisor([process], say=lines.append, clock=clock)
    try:
        assert supervisor.check() == [] and lines == []  # alive: nothing to do
        wait_for_ups(process, 1)
        first_pid = process.popen.pid
        kill(process)
        assert supervisor.check() == []
        assert lines[-1].startswith("sleeper stopped (exit code -9)") and "again in 1 s (restart 1)" in lines[-1]
        clock.now += 0.5
        assert supervisor.check() == []  # still backing off
        clock.now += 0.6
        assert supervisor.check() == ["sleeper"]
        assert process.popen.poll() is None and process.popen.pid != first_pid
        assert lines[-1] == f"sleeper started again (pid {process.popen.pid})"
        # It dies again at once: the wait doubles.
        wait_for_ups(process, 2)
        process.started_at = clock.now
        kill(process)
        supervisor.check()
        assert "again in 2 s (restart 2)" in lines[-1]
        clock.now += 2.1
        assert supervisor.check() == ["sleeper"]
        wait_for_ups(process, 3)  # the log is appended to, not overwritten: three starts in it
        assert process.log_path.read_text().count("up") == 3
    finally:
        process.stop()


@pytest.mark.stack  # starts a process of its own
def test_the_backoff_is_capped_and_forgotten_after_a_stable_minute(tmp_path):
    process, clock, lines = sleeper(tmp_path), Clock(), []
    supervisor = Supervisor([process], say=lines.append, clock=clock)
    assert [supervisor.backoff(n) for n in range(7)] == [1, 2, 4, 8, 16, 30, 30]
    assert supervisor.backoff(20) == MAX_BACKOFF_SECONDS
    try:
        for _ in range(3):
            process.started_at = clock.now
            kill(process)
            supervisor.check()
            clock.now += MAX_BACKOFF_SECONDS
            assert supervisor.check() == ["sleeper"]
        assert "(restart 3)" in lines[-2]
        process.started_at = clock.now
        clock.now += STABLE_AFTER_SECONDS
        supervisor.check()  # up for a minute: the next death starts from 1 s again
        kill(process)
        supervisor.check()
        assert "again in 1 s (restart 1)" in lines[-1]
    finally:
        process.stop()


@pytest.mark.stack  # starts a process of its own
def test_stop_also_kills_what_the_process_left_in_its_group(tmp_path):
    """Sanic's workers outlive a killed main process; stopping (and restarting) cleans them up."""
    cmd = [sys.executable, "-c",
           "import subprocess, sys, time; "
           "c = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)']); "
           "print(c.pid, flush=True); time.sleep(120)"]
    log = tmp_path / "parent.log"
    process = Process("parent", _popen(cmd, dict(os.environ), log), "http://127.0.0.1:9/", log, cmd=cmd,
                      env=dict(os.environ))
    for _ in range(200):
        if log.read_text().strip():
            break
        time.sleep(0.05)
    child = int(log.read_text().split()[0])
    kill(process)  # the parent dies; its child goes on
    os.kill(child, 0)
    process.stop()
    for _ in range(100):
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        raise AssertionError("the orphaned child is still running")
