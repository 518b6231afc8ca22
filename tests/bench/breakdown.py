"""Where the time of one message goes: the assistant's model loaded in this process, its real
action server and tracker store, and Rasa's own steps timed as they run.

Timed: NLU (the message through the NLU pipeline), dialogue policies (each prediction), the action
server (each remote action: HTTP + the action itself, claims store included), the tracker store
(retrieve and save) and the whole of `handle_message`; the rest of the whole is Rasa's own work
between them (events, NLG, the lock). The channel's work (checks, masking, rate limit, desk lookup)
is what the HTTP latency adds to this whole, and is reported by the bench next to it.
"""
from __future__ import annotations

import asyncio
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Callable, Dict, List

STEPS = ("nlu", "policies", "action_server", "tracker_store")


class _Timer:
    def __init__(self) -> None:
        self.seconds: Dict[str, float] = defaultdict(float)

    def wrap_async(self, owner: object, name: str, step: str) -> None:
        original = getattr(owner, name)

        async def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return await original(*args, **kwargs)
            finally:
                self.seconds[step] += time.perf_counter() - start

        setattr(owner, name, timed)

    def wrap_sync(self, owner: object, name: str, step: str) -> None:
        original = getattr(owner, name)

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[step] += time.perf_counter() - start

        setattr(owner, name, timed)


def breakdown(model: Path, endpoints: Path, script: Callable[[int], List[str]], conversations: int,
              language_of: Callable[[int], str]) -> Dict[str, float]:
    """Milliseconds per message in each step, over `conversations` scripted conversations."""
    return asyncio.run(_breakdown(model, endpoints, script, conversations, language_of))


async def _breakdown(model: Path, endpoints: Path, script, conversations: int, language_of) -> Dict[str, float]:
    import logging

    logging.disable(logging.INFO)  # no per-message lines (Rasa's slot dumps) in the bench's output
    from rasa.core.actions.action import RemoteAction
    from rasa.core.agent import load_agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.core.processor import MessageProcessor
    from rasa.core.utils import AvailableEndpoints

    from bot import rasa_speedups

    rasa_speedups.apply()  # as in the Rasa server (bot/channels/webchat.py applies it there)
    agent = await load_agent(model_path=str(model), endpoints=AvailableEndpoints.read_endpoints(str(endpoints)))
    timer = _Timer()
    timer.wrap_async(MessageProcessor, "parse_message", "nlu")
    timer.wrap_sync(MessageProcessor, "_predict_next_with_tracker", "policies")
    timer.wrap_async(RemoteAction, "run", "action_server")
    for name in ("retrieve", "retrieve_full_tracker", "save"):
        timer.wrap_async(agent.tracker_store, name, "tracker_store")
    # One warm-up conversation: the first message of a process pays for lazy loading.
    for text in script(0)[:2]:
        await agent.handle_message(UserMessage(text, CollectingOutputChannel(), f"warm-{uuid.uuid4().hex[:8]}"))
    timer.seconds.clear()
    messages, total = 0, 0.0
    for index in range(1, conversations + 1):
        sender = f"bd-{uuid.uuid4().hex[:10]}"
        for text in script(index):
            start = time.perf_counter()
            await agent.handle_message(UserMessage(text, CollectingOutputChannel(), sender,
                                                   metadata={"language": language_of(index)}))
            total += time.perf_counter() - start
            messages += 1
    figures = {step: timer.seconds[step] * 1000 / messages for step in STEPS}
    figures["whole"] = total * 1000 / messages
    figures["rasa_other"] = figures["whole"] - sum(figures[step] for step in STEPS)
    figures["messages"] = messages
    return figures
