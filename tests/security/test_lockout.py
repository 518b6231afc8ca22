"""Item 1 of issue 18, end to end: the three-tries limit lasted one conversation, so a date of birth
could be guessed over many. After 5 wrong dates of birth for a policy number, in any conversations,
the right one does not identify for 24 hours either, and the reply gives the 24/7 line.

The store's side (actions/claims/identification.py) is tested in tests/claims/test_claims_identification.py;
this test needs the declaration form to call attempt_identification (the other side of the floor)."""
from __future__ import annotations

from datetime import date, timedelta

from tests.declaration.helpers import new_policy
from tests.responses import response_text
from tests.security.conftest import client

STORY = "Mijn pakje is nooit aangekomen"
WRONG_BIRTHS = ("01/01/1970", "02/02/1971", "03/03/1972")


def wrong_pairs(stack, number: str, pairs: int) -> None:
    """One conversation giving `number` with a wrong date of birth `pairs` times."""
    page = client(stack, page_language="nl")
    assert page.say(STORY).endswith(response_text("utter_ask_policy_number", "nl"))
    for attempt in range(pairs):
        page.say(number)
        page.say(WRONG_BIRTHS[attempt])


def test_five_wrong_dates_of_birth_over_two_conversations_lock_the_policy_number(guarded):
    policy = new_policy(guarded, start=date.today() - timedelta(days=800))
    wrong_pairs(guarded, policy.number, 3)  # a conversation ends identification after 3 wrong pairs
    wrong_pairs(guarded, policy.number, 2)  # the 4th and 5th in another conversation
    page = client(guarded, page_language="nl")
    page.say(STORY)
    page.say(policy.number)
    locked = page.say(policy.birth_text)  # the right date of birth
    assert response_text("utter_identified", "nl") not in locked  # not identified: the form does not go on
    assert "02 552 51 65" in locked
    other = new_policy(guarded, start=date.today() - timedelta(days=800))
    page = client(guarded, page_language="nl")
    page.say(STORY)
    page.say(other.number)
    assert response_text("utter_identified", "nl") in page.say(other.birth_text)  # another number: unaffected
