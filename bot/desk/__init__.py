"""The agent desk: people who take over conversations the bot hands off. Served by the running Rasa
server as an input channel (`channel.py`, /webhooks/desk/): an HTTP API for the queue and the
conversations, and a web console on it (static/console.html). Agents and their tokens: `agents.py`,
created with `python -m bot.desk add-agent NAME --languages nl,fr`."""
