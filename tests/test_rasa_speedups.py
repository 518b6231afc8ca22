"""The correction of Rasa's action-response validation (bot/rasa_speedups.py): answers are still
validated against Rasa's own schema, but the schema is checked against the metaschema once, not on
every action call."""
from __future__ import annotations

import pytest
from jsonschema import ValidationError

from bot import rasa_speedups


@pytest.fixture(scope="module")
def remote_action():
    from rasa.core.actions.action import RemoteAction

    rasa_speedups.apply()
    return RemoteAction("validate_ecommerce_form", None)


def test_a_valid_answer_of_the_action_server_passes(remote_action):
    answer = {"events": [{"event": "slot", "name": "amount", "value": 329.0}],
              "responses": [{"response": "utter_ask_policy_number"}]}
    assert remote_action._validate_action_result(answer) is True


@pytest.mark.parametrize("answer", [
    {"events": [{"event": 42}]},
    {"events": "not a list"},
    {"events": [{"event": "slot", "name": 3}]},
    {"events": [{"no_event_key": True}]},
])
def test_an_invalid_answer_is_still_refused_with_rasas_explanation(remote_action, answer):
    import jsonschema

    with pytest.raises(ValidationError):  # what Rasa's own check says of it
        jsonschema.validate(answer, remote_action.action_response_format_spec())
    with pytest.raises(ValidationError) as refused:
        remote_action._validate_action_result(answer)
    assert "Failed to validate Action server response" in refused.value.message


def test_the_schema_is_checked_once_not_per_call(remote_action, monkeypatch):
    validator_class = type(rasa_speedups._response_validator())
    checks = []
    monkeypatch.setattr(validator_class, "check_schema", classmethod(lambda cls, schema: checks.append(1)))
    for _ in range(20):
        remote_action._validate_action_result({"events": [], "responses": []})
    assert checks == []  # jsonschema.validate would have checked it 20 times


def test_apply_is_idempotent_and_replaces_rasas_method():
    from rasa.core.actions.action import RemoteAction

    rasa_speedups.apply()
    rasa_speedups.apply()
    assert RemoteAction._validate_action_result is rasa_speedups._validate_action_result


def test_freezing_moves_the_objects_alive_now_out_of_the_collectors_way():
    import gc

    kept = [object() for _ in range(1000)]  # stands for the loaded model
    try:
        rasa_speedups.freeze_startup_objects()
        assert gc.get_freeze_count() >= len(kept)
    finally:
        gc.unfreeze()


def test_the_web_chat_freezes_once_the_server_has_started():
    """The listener runs after Rasa's own `before_server_start` (where the model is loaded)."""
    from bot.channels.webchat import WebChatInput

    blueprint = WebChatInput().blueprint(lambda message: None)
    assert "after_server_start" in [listener.event for listener in blueprint._future_listeners]


def test_another_rasa_version_is_refused_not_patched():
    with pytest.raises(rasa_speedups.UnsupportedRasa, match="3.7.0"):
        rasa_speedups.check_version("3.7.0")


def test_the_version_they_were_written_for_is_the_one_installed():
    import rasa

    rasa_speedups.check_version(rasa.__version__)  # raises if requirements.txt moved Rasa without a review
    assert rasa.__version__ == rasa_speedups.WRITTEN_FOR


def test_json_in_a_button_payload_is_text_and_logs_nothing(caplog):
    from rasa.core.nlg import interpolator

    rasa_speedups.apply()
    buttons = [{"title": "Nooit geantwoord", "payload": '/inform{"merchant_response":"none"}'}]
    with caplog.at_level("WARNING"):
        filled = interpolator.interpolate(buttons, {"reference": "CC-2026-000001"})
    assert filled[0]["payload"] == '/inform{"merchant_response":"none"}'
    assert not caplog.records


def test_a_slot_placeholder_is_still_filled_and_a_missing_one_kept():
    from rasa.core.nlg import interpolator

    rasa_speedups.apply()
    assert interpolator.interpolate_text("Referentie {reference}.", {"reference": "CC-2026-000001"}) == \
        "Referentie CC-2026-000001."
    assert interpolator.interpolate_text("Positie {position}.", {"reference": "x"}) == "Positie {position}."


def test_the_entry_point_refuses_another_rasa(monkeypatch, capsys):
    from bot import rasa_server

    monkeypatch.setattr(rasa_speedups, "_applied", False)
    monkeypatch.setattr(rasa_speedups, "WRITTEN_FOR", "0.0.0")
    with pytest.raises(SystemExit) as stopped:
        rasa_server.main()
    assert stopped.value.code == 2 and "Rasa 0.0.0" in capsys.readouterr().err
