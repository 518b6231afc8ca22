"""The web chat page itself in headless Chromium: accessibility (axe-core), the phone layout, a reload that
keeps the conversation and its language, and the browser's language.

Against the running assistant (the `stack` fixture). To try the page against another server that
implements the same contract (a mock while the page is being written), set CYBERCARE_TEST_WEBCHAT_URL
to the page's address (ending with /webhooks/webchat/): the assistant is then not started.
"""
from __future__ import annotations

import json
import os

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.browsers import DESKTOP, PHONE, page_sender
from tests.tools.fetch_axe import axe_script

# The page's own texts the tests rely on (the UI table in bot/channels/static/webchat.html).
FRENCH = {"placeholder": "Écrivez votre message…", "send": "Envoyer", "language": "Langue",
          "input": "Votre message", "attach": "Joindre un fichier"}

AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']})
  .then(r => done(r.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => ({target: n.target, html: n.html, summary: n.failureSummary}))}))))
  .catch(e => done({error: String(e)}));
"""

IDLE = """
const typing = document.getElementById('typing'), send = document.getElementById('send');
return (!typing || typing.hidden) && !send.disabled;
"""


@pytest.fixture
def page_url(request) -> str:
    """The chat page's address: the running assistant's, or CYBERCARE_TEST_WEBCHAT_URL's."""
    url = os.environ.get("CYBERCARE_TEST_WEBCHAT_URL")
    if url:
        return url if url.endswith("/") else url + "/"
    return request.getfixturevalue("stack").settings.webchat_url


def texts(driver, selector):
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, selector)]


def say(driver, text: str, seconds: int = 45):
    """Types `text` + Enter and waits for the answer: new bot message(s), and no request waiting."""
    bots, errors = len(texts(driver, ".msg.bot")), len(texts(driver, ".msg.error"))
    driver.find_element(By.ID, "input").send_keys(text, Keys.ENTER)
    WebDriverWait(driver, seconds).until(
        lambda d: (len(texts(d, ".msg.bot")) > bots or len(texts(d, ".msg.error")) > errors)
        and d.execute_script(IDLE))
    assert texts(driver, ".msg.error")[errors:] == [], f"the page shows an error after {text!r}"
    return texts(driver, ".msg.bot")[bots:]


def page_texts(driver) -> dict:
    return driver.execute_script("""
        const $ = (id) => document.getElementById(id);
        return {lang: document.documentElement.lang, select: $('lang').value,
                placeholder: $('input').placeholder, send: $('send').textContent.trim(),
                language: $('lang-label').textContent.trim(), input: $('input-label').textContent.trim(),
                attach: $('attach').getAttribute('aria-label')};""")


def the_conversation(driver) -> dict:
    """What is on screen: the user's and the bot's messages, and the quick replies after the last bot message."""
    return {
        "me": texts(driver, ".msg.me"),
        "bot": texts(driver, ".msg.bot"),
        "buttons": texts(driver, ".buttons button"),
        "last_buttons": driver.execute_script("""
            const bots = document.querySelectorAll('.msg.bot'), last = bots[bots.length - 1];
            const next = last && last.nextElementSibling;
            return next && next.classList.contains('buttons')
                ? Array.from(next.querySelectorAll('button'), b => b.innerText) : [];"""),
    }


@pytest.mark.parametrize("lang, hello", [("nl", "Hallo"), ("fr", "Bonjour"), ("en", "Hello")])
def test_the_page_has_no_serious_or_critical_accessibility_violations(page_url, browser, tmp_path, lang, hello):
    driver = browser(DESKTOP)
    driver.get(f"{page_url}?lang={lang}")
    assert say(driver, hello), "the assistant did not answer"
    # The upload bar opened too (a file chosen, nothing sent), so its controls are checked as well.
    chosen = tmp_path / "bon-de-commande.pdf"
    chosen.write_bytes(b"%PDF-1.4\n%%EOF\n")
    driver.find_element(By.ID, "file").send_keys(str(chosen))
    WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "upload-bar").is_displayed())

    driver.execute_script(axe_script())
    violations = driver.execute_async_script(AXE_RUN)
    assert not (isinstance(violations, dict) and "error" in violations), violations
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    report = "\n".join(f"{v['impact']} {v['id']}: {v['help']}\n" + "\n".join(
        f"    {n['target']} {n['html'][:160]}\n      {n['summary']}" for n in v["nodes"]) for v in serious)
    print(json.dumps(violations, indent=1, ensure_ascii=False)[:20000])
    assert not serious, f"axe found serious/critical violations ({lang}):\n{report}"
    assert driver.execute_script("return document.documentElement.lang") == lang


def test_at_360px_there_is_no_horizontal_scrolling(page_url, browser):
    driver = browser(PHONE)
    driver.get(f"{page_url}?lang=nl")
    assert driver.execute_script("return window.innerWidth") == PHONE[0]
    url = ("https://www.voorbeeld-webwinkel.be/klantenservice/bestellingen/opvolgen?bestelnummer="
           + "A1B2C3D4E5F6G7H8" * 20 + "&referentie=" + "x" * 120)
    say(driver, f"Ik heb een pakje besteld via {url} maar het is nooit geleverd")
    assert url in driver.find_elements(By.CSS_SELECTOR, ".msg.me")[-1].text.replace("\n", "")

    width = driver.execute_script("return window.innerWidth")
    assert driver.execute_script("return document.documentElement.scrollWidth") <= width
    assert width == PHONE[0]  # a phone zooms out (innerWidth grows) when the page is wider than the screen
    assert driver.execute_script("return document.documentElement.scrollWidth") <= \
        driver.execute_script("return document.documentElement.clientWidth")
    # Nothing inside scrolls sideways either (the message list scrolls, but only up and down).
    sideways = driver.execute_script("""
        return Array.from(document.querySelectorAll('body *'))
            .filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX)
                         && e.scrollWidth > e.clientWidth + 1)
            .map(e => (e.id || e.className || e.tagName) + ' ' + e.scrollWidth + '>' + e.clientWidth);""")
    assert sideways == []
    # Every message and quick reply fits in the window: long words and addresses wrap.
    overflowing = driver.execute_script("""
        return Array.from(document.querySelectorAll('.msg, .buttons button'))
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5
                         || e.getBoundingClientRect().left < -0.5 || e.scrollWidth > e.clientWidth + 1)
            .map(e => e.className + ': ' + e.textContent.slice(0, 60));""")
    assert overflowing == []
    for element_id in ("input", "send", "attach", "lang"):
        element = driver.find_element(By.ID, element_id)
        assert element.is_displayed(), element_id
        rect = driver.execute_script("const r = arguments[0].getBoundingClientRect();"
                                     "return {left: r.left, right: r.right, width: r.width, height: r.height};",
                                     element)
        assert rect["height"] >= 44, (element_id, rect)
        assert rect["width"] >= 44, (element_id, rect)
        assert 0 <= rect["left"] and rect["right"] <= width, (element_id, rect)
    for button in driver.find_elements(By.CSS_SELECTOR, ".buttons button"):
        assert button.size["height"] >= 44, button.text


def test_a_reload_keeps_the_conversation_and_its_language(page_url, browser):
    driver = browser(DESKTOP)
    driver.get(f"{page_url}?lang=en")
    assert page_texts(driver)["send"] == "Send"
    sender = page_sender(driver)
    assert sender

    assert say(driver, "Bonjour, je voudrais déclarer un sinistre"), "the assistant did not answer"
    # The conversation is in French now: so is the page.
    french = {"lang": "fr", "select": "fr", **FRENCH}
    assert page_texts(driver) == french
    before = the_conversation(driver)
    assert before["me"] == ["Bonjour, je voudrais déclarer un sinistre"]

    driver.refresh()
    WebDriverWait(driver, 30).until(
        lambda d: len(texts(d, ".msg.bot")) >= len(before["bot"]) and len(texts(d, ".msg.me")) >= len(before["me"]))
    after = the_conversation(driver)
    assert after["me"] == before["me"]
    assert after["bot"] == before["bot"]
    # The quick replies of the last bot message can still be used; older ones are not shown.
    assert after["buttons"] == before["last_buttons"]
    assert after["last_buttons"] == before["last_buttons"]
    assert texts(driver, ".msg.error") == []
    assert page_texts(driver) == french  # although the address still says ?lang=en
    assert page_sender(driver) == sender  # the same conversation, from the session cookie


def test_the_page_follows_the_browser_language(page_url, browser):
    driver = browser(DESKTOP, accept_language="fr")
    driver.get(page_url)
    assert driver.execute_script("return navigator.language").startswith("fr")  # the browser is French
    assert page_texts(driver) == {"lang": "fr", "select": "fr", **FRENCH}
