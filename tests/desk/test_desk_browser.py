"""Both sides in real headless Chromium windows: a user in the web chat asks for a person, an agent in
the console takes the conversation, answers (the reply appears on the user's page without a reload),
reads the user's answer live, and hands back (the bot's message appears on the user's page)."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.browsers import page_sender, start_chromium
from tests.nlu_data import ROOT
from tests.responses import response_text


@pytest.fixture
def two_windows():
    user, agent = start_chromium(), start_chromium()
    yield user, agent
    user.quit()
    agent.quit()


def texts(driver, selector):
    return [element.text for element in driver.find_elements(By.CSS_SELECTOR, selector)]


def wait(driver, condition, seconds=60):
    return WebDriverWait(driver, seconds).until(condition)


def click_when_shown(driver, element_id):
    wait(driver, lambda d: d.find_element(By.ID, element_id).is_displayed()
         and d.find_element(By.ID, element_id).is_enabled())
    driver.find_element(By.ID, element_id).click()


@pytest.mark.parametrize("lang, ask, agent_says, user_says", [
    ("nl", "Ik wil met een medewerker spreken", "Dag, ik ben Lotte. Waarmee kan ik helpen?", "Mijn pakje is weg"),
    ("fr", "Je voudrais parler à un conseiller", "Bonjour, ici Sofie. Que puis-je faire ?", "Mon colis a disparu"),
    ("en", "I want to talk to a person", "Hi, Marc here. How can I help?", "My parcel is gone"),
])
def test_an_agent_in_the_console_talks_with_a_user_in_the_web_chat(stack, desk_agents, two_windows, lang, ask,
                                                                   agent_says, user_says):
    agent_name = {"nl": "Lotte", "fr": "Sofie", "en": "Marc"}[lang]
    user, agent = two_windows
    user.get(f"{stack.settings.webchat_url}?lang={lang}")
    box = user.find_element(By.ID, "input")
    box.send_keys(ask, Keys.ENTER)
    offer = wait(user, lambda d: d.find_elements(By.CSS_SELECTOR, ".buttons button"))
    offer[-1].click()  # "yes, a person": the second ask hands off at once
    wait(user, lambda d: any(t.startswith(response_text("utter_handoff_queued", lang).split("{")[0])
                             for t in texts(d, ".msg.bot")))
    sender = page_sender(user)

    agent.get(f"{stack.settings.rasa_url}/webhooks/desk/")
    agent.find_element(By.ID, "token").send_keys(desk_agents[agent_name])
    agent.find_element(By.ID, "login").click()
    wait(agent, lambda d: d.find_element(By.ID, "agent-name").text == agent_name)
    item = wait(agent, lambda d: d.find_element(By.CSS_SELECTOR, f'#queue li[data-sender="{sender}"]'))
    item.click()
    wait(agent, lambda d: len(d.find_element(By.ID, "summary").text.splitlines()) == 3)
    wait(agent, lambda d: ask in texts(d, "#transcript .msg.from-user .text"))
    click_when_shown(agent, "claim")
    reply = wait(agent, lambda d: d.find_element(By.ID, "reply") if d.find_element(By.ID, "reply").is_enabled()
                 else None)
    reply.send_keys(agent_says)
    agent.find_element(By.ID, "send").click()

    # The agent's reply appears on the user's page, pushed, named as the agent's.
    shown = wait(user, lambda d: [e for e in d.find_elements(By.CSS_SELECTOR, ".msg.agent") if agent_says in e.text])
    assert agent_name in shown[0].text
    box.send_keys(user_says, Keys.ENTER)
    # ... and the user's answer appears in the console without a reload.
    wait(agent, lambda d: user_says in texts(d, "#transcript .msg.from-user .text"))

    click_when_shown(agent, "release")
    handed_back = response_text("utter_handed_back", lang)
    wait(user, lambda d: handed_back in texts(d, ".msg.bot"))
    (ROOT / "results").mkdir(exist_ok=True)
    user.save_screenshot(str(ROOT / "results" / f"handoff_user_{lang}.png"))
    agent.save_screenshot(str(ROOT / "results" / f"handoff_console_{lang}.png"))
