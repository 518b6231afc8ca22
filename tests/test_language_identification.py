"""Which language a message is in, and when the conversation changes language."""
import pytest

from bot.dialogue.language_policy import choose_language
from bot.nlu.language_identification import LanguageIdentifier, words_of


@pytest.fixture(scope="module")
def identifier() -> LanguageIdentifier:
    return LanguageIdentifier.shared()


@pytest.mark.parametrize(
    "text, language",
    [
        ("hallo", "nl"), ("bonjour", "fr"), ("hi", "en"), ("merci", "fr"), ("bedankt", "nl"),
        ("thanks", "en"), ("oui", "fr"), ("nee", "nl"), ("yes please", "en"),
        ("mijn pakje is nooit aangekomen", "nl"),
        ("Mon colis Zalando n'est jamais arrivé", "fr"),
        ("my parcel never came", "en"),
        ("iemand heeft met mijn bankkaart betaald op een website", "nl"),
        ("quelqu'un a utilisé ma carte bancaire sans mon accord", "fr"),
        ("someone opened a phone line in my name", "en"),
        ("hoeveel kost die verzekering per maand", "nl"),
        ("combien coûte l'assurance par mois", "fr"),
        ("how much does the insurance cost per month", "en"),
        # Seen: a French policyholder's "bon ok c'est correct" at the summary turned the refusal English.
        ("bon ok c'est correct", "fr"), ("oui c'est correct", "fr"),
    ],
)
def test_identifies_the_language(identifier, text, language):
    assert identifier.identify(text).language == language


def test_short_words_come_from_the_lexicon_with_confidence(identifier):
    found = identifier.identify("hallo")
    assert (found.source, found.confidence) == ("lexicon", 0.9)


@pytest.mark.parametrize("text", ["", "   ", "12345", "?!", "\x00\x01"])
def test_text_without_words_falls_back_to_the_hint(identifier, text):
    found = identifier.identify(text, hint="fr")
    assert (found.language, found.confidence, found.source) == ("fr", 0.0, "default")


def test_words_of_keeps_elisions_and_drops_digits():
    assert words_of("J’ai payé 249,99 € chez Coolblue") == ["j'ai", "payé", "chez", "coolblue"]


@pytest.mark.parametrize("text", ["CC-TFC5C-007105", "CC-DEMO-0001", "BR.12.L3.054321/2026", "CC-2026-000042",
                                  "12/04/1985", "mijn polis CC-TFC5C-007105"])
def test_codes_with_digits_are_no_evidence_of_a_language(text):
    """A policy number read as the words "CC TFC C" once turned a Dutch conversation French."""
    assert [w for w in words_of(text) if w in ("cc", "tfc", "c", "br", "l", "demo")] == []


POLICY = dict(min_words=3, min_confidence=0.75, default="nl")


def test_first_message_sets_the_language():
    assert choose_language(None, "greet", None, "fr", 0.9, 1, None, **POLICY) == "fr"


def test_first_unclear_message_follows_the_channel_hint():
    assert choose_language(None, "affirm", None, "nl", 0.69, 1, "en", **POLICY) == "en"


def test_first_clear_message_beats_the_channel_hint():
    assert choose_language(None, "faq", None, "fr", 0.95, 6, "en", **POLICY) == "fr"


def test_short_message_keeps_the_conversation_language():
    assert choose_language("en", "affirm", None, "nl", 0.69, 1, None, **POLICY) == "en"


def test_long_but_unsure_message_keeps_the_conversation_language():
    assert choose_language("en", "inform", None, "fr", 0.6, 5, None, **POLICY) == "en"


def test_clear_message_in_another_language_switches():
    assert choose_language("en", "faq", None, "nl", 0.98, 5, None, **POLICY) == "nl"


def test_switch_language_intent_uses_the_named_language():
    assert choose_language("nl", "switch_language", "fr", "nl", 0.99, 6, None, **POLICY) == "fr"


def test_switch_language_without_a_valid_target_changes_nothing_by_itself():
    assert choose_language("nl", "switch_language", "de", "nl", 0.99, 6, None, **POLICY) == "nl"


def test_payload_without_text_or_hint_uses_the_default():
    assert choose_language(None, "greet", None, None, 0.0, 0, None, **POLICY) == "nl"


def test_the_decision_is_read_back_only_for_the_message_it_was_made_for():
    from bot.dialogue.language_policy import _remember, decided_language

    _remember("web-decided", "message-1", "fr")
    assert decided_language("web-decided", "message-1") == "fr"
    # Another message (handled by another worker, or with no prediction): the tracker store decides.
    assert decided_language("web-decided", "message-2") is None
    assert decided_language("web-decided", None) is None
    assert decided_language("web-unknown", "message-1") is None


def test_a_complaint_about_a_language_wants_the_language_it_is_written_in():
    from bot.dialogue.language_policy import wanted_language

    assert wanted_language("why are you speaking dutch?? i want english", [(19, "nl"), (36, "en")], "en") == "en"
    assert wanted_language("pls stop answering in dutch, im an expat", [(22, "nl")], "en") == "en"
    assert wanted_language("waarom engels nu??", [(7, "en")], "nl") == "nl"
    assert wanted_language("pourquoi vous parlez en anglais?", [(24, "en")], "fr") == "fr"


def test_a_request_for_a_language_gets_that_language():
    from bot.dialogue.language_policy import wanted_language

    assert wanted_language("can you speak french please", [(14, "fr")], "en") == "fr"
    assert wanted_language("the bot answers me in flemish, can u switch to english", [(22, "nl"), (47, "en")],
                           "en") == "en"
    assert wanted_language("en français svp, pas en anglais", [(3, "fr"), (24, "en")], "fr") == "fr"
    assert wanted_language("spreek duits", [(7, "de")], "nl") is None
