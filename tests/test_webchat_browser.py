"""The web chat page in a real browser (Debian's Chromium, headless), against the running assistant."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.browsers import page_sender, start_chromium
from tests.nlu_data import ROOT
from tests.responses import response_text, response_texts


@pytest.fixture
def browser():
    driver = start_chromium((420, 900))
    yield driver
    driver.quit()


def bot_messages(driver):
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".msg.bot")]


def wait_for_bot_messages(driver, count: int):
    WebDriverWait(driver, 60).until(lambda d: len(bot_messages(d)) >= count)
    return bot_messages(driver)


def test_a_person_chats_in_french_and_uses_the_buttons(stack, browser):
    browser.get(f"{stack.settings.webchat_url}?lang=fr")
    assert browser.find_element(By.ID, "send").text == "Envoyer"
    box = browser.find_element(By.ID, "input")
    box.send_keys("Bonjour !", Keys.ENTER)
    assert wait_for_bot_messages(browser, 1)[0] == response_text("utter_greet", "fr").strip()

    box.send_keys("Je voudrais déclarer un sinistre", Keys.ENTER)
    assert wait_for_bot_messages(browser, 2)[1] == response_text("utter_ask_incident_type", "fr").strip()
    buttons = WebDriverWait(browser, 30).until(
        EC.presence_of_all_elements_located((By.CSS_SELECTOR, ".buttons button")))
    assert len(buttons) == 6
    buttons[0].click()  # parcel never delivered: a word of care, then the form asks who the policyholder is
    messages = wait_for_bot_messages(browser, 5)
    assert messages[2] in [t.strip() for t in response_texts("utter_care_ecommerce_non_delivery", "fr")]
    assert messages[3:5] == [response_text("utter_declaration_next", "fr").strip(),
                             response_text("utter_ask_policy_number", "fr").strip()]
    (ROOT / "results").mkdir(exist_ok=True)
    browser.save_screenshot(str(ROOT / "results" / "webchat_fr.png"))


def test_an_empty_or_oversized_message_is_explained_not_lost(stack, browser):
    browser.get(f"{stack.settings.webchat_url}?lang=en")
    box = browser.find_element(By.ID, "input")
    box.send_keys(Keys.ENTER)  # empty: nothing is sent
    assert browser.find_elements(By.CSS_SELECTOR, ".msg") == []
    # maxlength stops typing past 2000 characters; a script could still post more: the server refuses.
    long_text = "a" * 2500
    browser.execute_script("document.getElementById('input').removeAttribute('maxlength')")
    browser.execute_script("document.getElementById('input').value = arguments[0]", long_text)
    box.send_keys(Keys.ENTER)
    error = WebDriverWait(browser, 30).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".msg.error")))
    from bot.channels.inbound import error_text

    assert error.text == error_text("too_long", "en")
    assert browser.find_element(By.ID, "input").get_attribute("value") == long_text  # nothing lost


GREETINGS = {
    "nl": ("Ik help je een incident aangeven", ["Ik wil een incident aangeven", "Ik heb een vraag over mijn dekking",
                                                 "Geef me tips om me te beschermen", "Ik wil met een medewerker praten"]),
    "fr": ("Je vous aide à déclarer un incident", ["Je veux déclarer un incident", "J'ai une question sur ma couverture",
                                                    "Donnez-moi des conseils pour me protéger",
                                                    "Je veux parler à un conseiller"]),
    "en": ("I can help you declare an incident", ["I want to report an incident", "I have a question about my cover",
                                                  "Give me tips to protect myself", "I want to talk to a person"]),
}


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_a_new_page_greets_in_the_browsers_language_and_its_suggestions_send_a_message(stack, lang):
    """Issue 16: two lines on what the assistant does and four suggestions; a reload with history shows
    the history instead. The page runs under its Content-Security-Policy (no inline script but its own)."""
    driver = start_chromium((420, 900), accept_language=lang)
    try:
        driver.get(stack.settings.webchat_url)
        hello = WebDriverWait(driver, 30).until(lambda d: d.find_element(By.CSS_SELECTOR, ".greeting .hello"))
        lines = hello.find_elements(By.TAG_NAME, "p")
        assert len(lines) == 2 and lines[1].text.startswith(GREETINGS[lang][0])
        suggestions = driver.find_elements(By.CSS_SELECTOR, ".greeting .suggestions button")
        assert [b.text for b in suggestions] == GREETINGS[lang][1]
        assert bot_messages(driver) == []  # not a message of the conversation
        suggestions[1].click()  # a question about my cover
        WebDriverWait(driver, 60).until(lambda d: len(bot_messages(d)) >= 1)
        assert [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".msg.me")] == [GREETINGS[lang][1][1]]
        assert driver.find_elements(By.CSS_SELECTOR, ".suggestions") == []
        answered = bot_messages(driver)
        driver.refresh()
        WebDriverWait(driver, 30).until(lambda d: len(bot_messages(d)) >= len(answered))
        assert bot_messages(driver) == answered
        assert driver.find_elements(By.CSS_SELECTOR, ".greeting") == []  # the history instead
        assert [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".msg.me")] == [GREETINGS[lang][1][1]]
        # No conversation id in any address the page used.
        sender = page_sender(driver)
        used = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        assert used and not [url for url in used if sender in url or "sender=" in url]
    finally:
        driver.quit()


def test_the_pages_forbid_framing_and_any_script_but_their_own(stack):
    import requests

    for path in ("/webhooks/webchat/", "/webhooks/desk/"):
        page = requests.get(f"{stack.settings.rasa_url}{path}", timeout=30)
        policy = page.headers["Content-Security-Policy"]
        assert page.headers["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in policy
        assert "script-src 'sha256-" in policy and "'unsafe-inline'" not in policy
        assert "default-src 'none'" in policy and "connect-src 'self'" in policy
