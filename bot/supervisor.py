"""Keeps the assistant's processes running, in both modes: a process that dies (a crash, the OOM
killer, a SIGKILL) is started again after a back-off, and the launcher's log says so.

Nothing is lost by a restart: conversations are in the tracker store, drafts and dossiers in the
claims store, so the user's next message goes on where the conversation was. The back-off (1 s,
doubled up to 30 s) keeps a process that dies at start from spinning; it is forgotten once the
process has stayed up for a minute.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional

from bot.servers import Process

FIRST_BACKOFF_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 30.0
STABLE_AFTER_SECONDS = 60.0


@dataclass
class _Restarts:
    count: int = 0  # restarts in a row, without a stable minute in between
    due_at: Optional[float] = None  # when the dead process is started again


@dataclass
class Supervisor:
    processes: List[Process]
    say: Callable[[str], None] = print
    clock: Callable[[], float] = time.monotonic
    _restarts: Dict[str, _Restarts] = field(default_factory=dict)

    def backoff(self, count: int) -> float:
        return min(MAX_BACKOFF_SECONDS, FIRST_BACKOFF_SECONDS * 2 ** count)

    def check(self) -> List[str]:
        """One look at every process (the launcher calls this every second); returns the names of
        the processes started again by this call."""
        restarted = []
        now = self.clock()
        for process in self.processes:
            state = self._restarts.setdefault(process.name, _Restarts())
            code = process.popen.poll()
            if code is None:
                if state.count and now - process.started_at >= STABLE_AFTER_SECONDS:
                    state.count = 0
                continue
            if state.due_at is None:
                delay = self.backoff(state.count)
                state.due_at = now + delay
                self.say(f"{process.name} stopped (exit code {code}) after {now - process.started_at:.0f} s; "
                         f"starting it again in {delay:.0f} s (restart {state.count + 1}); log: {process.log_path}")
            elif now >= state.due_at:
                process.restart()
                state.count += 1
                state.due_at = None
                restarted.append(process.name)
                self.say(f"{process.name} started again (pid {process.popen.pid})")
        return restarted
