"""On a phone-sized page in headless Chromium: a declaration with its PDF attached, in each language;
the file appears on the page, on the draft dossier, and in the desk."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from actions.claims import files, store
from actions.claims.db import get_database
from bot.channels.inbound import error_text
from tests.browsers import PHONE, page_sender
from tests.declaration.helpers import new_policy
from tests.responses import response_text
from tests.uploads.samples import ELEVEN_MB, EXECUTABLE, PDF

TODAY = date.today()
DECLARATIONS = {
    "nl": ("Ik heb zeven weken geleden een robotstofzuiger van 329 euro besteld en hij is nooit aangekomen",
           "merchant_complaint", "klacht.pdf", "klacht bij de webshop"),
    "fr": ("Quelqu'un a ouvert un compte bancaire à mon nom, je l'ai découvert avant-hier",
           "police_report", "pv.pdf", "procès-verbal"),
    "en": ("I bought a camera online for 400 euros and it never arrived", "order_confirmation", "order.pdf",
           "order confirmation"),
}


def bot_texts(driver):
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".msg.bot")]


def send(driver, text):
    count = len(bot_texts(driver))
    driver.find_element(By.ID, "input").send_keys(text, Keys.ENTER)
    WebDriverWait(driver, 60).until(lambda d: len(bot_texts(d)) > count)


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_a_pdf_attached_during_a_declaration_on_a_phone(stack, browser, tmp_path, lang):  # noqa: F811
    first, kind, name, kind_label = DECLARATIONS[lang]
    policy = new_policy(stack, start=TODAY - timedelta(days=600), language=lang)
    page = browser(PHONE)
    page.get(f"{stack.settings.webchat_url}?lang={lang}")
    send(page, first)
    send(page, policy.number)
    send(page, policy.birth_text)
    pdf = tmp_path / name
    pdf.write_bytes(PDF)
    page.find_element(By.ID, "file").send_keys(str(pdf))
    WebDriverWait(page, 30).until(lambda d: d.find_element(By.ID, "upload-bar").is_displayed())
    Select(page.find_element(By.ID, "file-kind")).select_by_value(kind)
    count = len(bot_texts(page))
    page.find_element(By.ID, "upload-send").click()
    WebDriverWait(page, 60).until(lambda d: len(bot_texts(d)) > count)
    shown = page.find_element(By.CSS_SELECTOR, ".msg.me.file")
    assert name in shown.text
    expected = response_text("utter_file_received", lang).format(name=name, kind=kind_label)
    assert any(expected in text for text in bot_texts(page)[count:])
    assert page.execute_script("return document.documentElement.scrollWidth") <= 360
    sender = page_sender(page)
    db = get_database(stack.settings.claims_db_url)
    draft = store.find_draft(sender, db=db)
    assert [(f["name"], f["kind"], f["reference"]) for f in files.files_of(sender, db=db)] == [
        (name, kind, draft["reference"])]


def test_a_renamed_executable_and_an_11_mb_file_are_refused_on_the_page(stack, browser, tmp_path):  # noqa: F811
    page = browser(PHONE)
    page.get(f"{stack.settings.webchat_url}?lang=fr")
    renamed = tmp_path / "facture.pdf"
    renamed.write_bytes(EXECUTABLE)
    page.find_element(By.ID, "file").send_keys(str(renamed))
    WebDriverWait(page, 30).until(lambda d: d.find_element(By.ID, "upload-bar").is_displayed())
    page.find_element(By.ID, "upload-send").click()
    error = WebDriverWait(page, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".msg.error"))
    assert error[-1].text == error_text("file_type", "fr")
    big = tmp_path / "scan.pdf"
    big.write_bytes(ELEVEN_MB)
    page.find_element(By.ID, "file").send_keys(str(big))
    WebDriverWait(page, 30).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".msg.error")) == 2)
    assert "scan.pdf" in page.find_elements(By.CSS_SELECTOR, ".msg.error")[-1].text  # refused before sending
    assert page.find_elements(By.CSS_SELECTOR, ".msg.me.file") == []
    sender = page_sender(page)
    assert files.files_of(sender, db=get_database(stack.settings.claims_db_url)) == []
