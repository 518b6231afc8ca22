"""Headless Chromium (Debian's, driven by chromedriver) for the browser tests, one way for all."""
from __future__ import annotations

import shutil
from typing import Optional, Tuple

from selenium import webdriver

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
DESKTOP = (1024, 768)
PHONE = (360, 740)


def page_sender(driver: webdriver.Chrome) -> str:
    """The conversation id of the web chat page open in `driver`: its session (the cookie, which no
    script reads) answers it."""
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch('session', {method: 'POST'}).then((r) => r.json()).then((b) => done(b.sender), () => done(null));")


def start_chromium(size: Tuple[int, int] = DESKTOP, accept_language: Optional[str] = None) -> webdriver.Chrome:
    """A headless window of exactly `size` (a phone's viewport when narrower than 600 px)."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--disable-quic", f"--window-size={size[0]},{size[1]}"):
        options.add_argument(flag)
    if accept_language:
        options.add_argument(f"--lang={accept_language}")
        options.add_experimental_option("prefs", {"intl.accept_languages": accept_language})
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=CHROMEDRIVER), options=options)
    # Headless windows are at least 500 px wide: the viewport is set exactly, as a phone's when narrow
    # (then window.innerWidth grows with content wider than the screen, like a phone zooming out).
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": size[0] < 600})
    driver.set_script_timeout(40)
    return driver
