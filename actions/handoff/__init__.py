"""Handing a conversation to a person: when (a filed claim, a second request for a person, two
misunderstandings in a row), what the user is told (queue position, office hours), the queue entry
with its three-line summary for the agent, the pause of the bot; and the hand-back when the agent is done."""
