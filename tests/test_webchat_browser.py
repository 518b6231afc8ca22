"""The web chat page in a real browser (Debian's Chromium, headless), against the running assistant."""
from __future__ import annotations


import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.browsers import start_chromium
from tests.nlu_data import ROOT
from tests.responses import response_text



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
    buttons[0].click()  # parcel never delivered: the declaration form asks who the policyholder is
    assert wait_for_bot_messages(browser, 3)[2] == response_text("utter_ask_policy_number", "fr").strip()
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
