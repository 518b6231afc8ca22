"""`make telegram-webhook`: registers the webhook and the commands with Telegram, once, on purpose
(never at server start: several instances would race, and a test run must never touch Telegram).

    TELEGRAM_TOKEN=... TELEGRAM_WEBHOOK_SECRET=... TELEGRAM_WEBHOOK_URL=https://HOST/webhooks/telegram/webhook \\
        make telegram-webhook

TELEGRAM_API_BASE points it at another Bot API server (the tests' stand-in).
"""
from __future__ import annotations

import asyncio
import os
import sys
from typing import Dict, List, Optional, Tuple

from telegram import Bot, BotCommand

from bot.channels.telegram import DEFAULT_API_BASE

# What BotFather shows under the menu button, per app language (the default is English).
COMMAND_DESCRIPTIONS: Dict[str, List[Tuple[str, str]]] = {
    "en": [("start", "Start: what I can do for you"), ("help", "What I can do for you"),
           ("language", "Nederlands, français or English"), ("human", "Talk to a person of the Cyber Care team")],
    "nl": [("start", "Start: waarmee ik je kan helpen"), ("help", "Waarmee ik je kan helpen"),
           ("language", "Nederlands, français of English"), ("human", "Praat met een medewerker van Cyber Care")],
    "fr": [("start", "Démarrer : ce que je peux faire pour vous"), ("help", "Ce que je peux faire pour vous"),
           ("language", "Nederlands, français ou English"), ("human", "Parler à une personne de l'équipe Cyber Care")],
}
ALLOWED_UPDATES = ["message", "callback_query"]


async def register(token: str, url: str, secret: str, api_base: str = DEFAULT_API_BASE) -> None:
    async with Bot(token, base_url=api_base) as bot:
        await bot.set_webhook(url=url, secret_token=secret, allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)
        for language, commands in COMMAND_DESCRIPTIONS.items():
            await bot.set_my_commands([BotCommand(name, text) for name, text in commands],
                                      language_code=None if language == "en" else language)


def main(env: Optional[Dict[str, str]] = None) -> int:
    env = dict(os.environ if env is None else env)
    missing = [name for name in ("TELEGRAM_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "TELEGRAM_WEBHOOK_URL") if not env.get(name)]
    if missing:
        print(f"Set {', '.join(missing)} (see README, Telegram).", file=sys.stderr)
        return 2
    if not env["TELEGRAM_WEBHOOK_URL"].startswith("https://") and "TELEGRAM_API_BASE" not in env:
        print("TELEGRAM_WEBHOOK_URL must be an https:// URL: Telegram calls no other.", file=sys.stderr)
        return 2
    asyncio.run(register(env["TELEGRAM_TOKEN"], env["TELEGRAM_WEBHOOK_URL"], env["TELEGRAM_WEBHOOK_SECRET"],
                         env.get("TELEGRAM_API_BASE") or DEFAULT_API_BASE))
    print(f"Webhook registered: {env['TELEGRAM_WEBHOOK_URL']} (commands: /start /help /language /human)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
