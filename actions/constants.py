"""The few facts every part of the assistant shares, in one place: the languages it speaks, the time zone its
days are counted in, and the covers of the policy. A leaf: it imports nothing of the project, so that the
pure packages (actions/evidence, actions/coverage) may use it too."""
from __future__ import annotations

from zoneinfo import ZoneInfo

LANGUAGES = ("nl", "fr", "en")
TIMEZONE_NAME = "Europe/Brussels"
BELGIUM = ZoneInfo(TIMEZONE_NAME)
# COVERAGE_SPEC's covers, in the order the documents list them (actions/coverage/case.py has one incident
# class per cover; tests/test_constants.py checks the two agree).
COVERS = ("ecommerce", "identity_theft", "e_reputation", "data_recovery", "payment_fraud")
