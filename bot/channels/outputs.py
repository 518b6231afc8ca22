"""Where a channel's messages go when they answer no request (an agent's reply, the bot's line after a hand-back).

A channel that can send on its own registers its output here when its server starts; the relay and the desk find it
here, so no channel imports another and the desk imports no channel's internals."""

from __future__ import annotations

from typing import Dict, Optional

from rasa.core.channels.channel import OutputChannel

_OUTPUTS: Dict[str, OutputChannel] = {}


def register(channel: str, output: OutputChannel) -> None:
    _OUTPUTS[channel] = output


def registered(channel: str) -> Optional[OutputChannel]:
    """The output `channel` registered in this server, or None when that channel is not configured here."""
    return _OUTPUTS.get(channel)
