"""The bot at work without a real Telegram: starts the bundled fake Telegram
Bot API server on 127.0.0.1, runs the real sertibot binary against it, plays a
short scripted conversation, and prints it as a chat transcript.

Usage: python3 scripts/demo.py --bot build/sertibot"""

import os
import signal
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))

import harness  # noqa: E402
from harness import ADMIN, APPLICANT, KADIS, Env  # noqa: E402
from fake_telegram import parse_html  # noqa: E402

SHOWN = ("sendMessage", "sendDocument", "editMessageText", "editMessageReplyMarkup")

PEOPLE = {KADIS: "Budi (Kadis)", APPLICANT: "Rina (operator, Dinas Kesehatan)", ADMIN: "Admin"}


class Transcript:
    def __init__(self, fake):
        self.fake = fake
        self.shown = 0

    def say(self, user, text, language_code="id", first_name=None):
        print("\n%s:\n  %s" % (PEOPLE[user], text))
        self.fake.push_message(user, text, first_name=first_name or PEOPLE[user].split()[0],
                               language_code=language_code)

    def press(self, user, data, label):
        print("\n%s taps [%s]" % (PEOPLE[user], label))
        self.fake.push_callback(user, data)

    def show_replies(self, expect, timeout=10):
        """Waits for `expect` more messages, documents or edits from the bot and
        prints them in the order the bot made them."""
        def outgoing(f):
            return [r for r in f.requests if r.status == 200 and r.method in SHOWN]
        self.fake.wait_for(lambda f: len(outgoing(f)) >= self.shown + expect, timeout=timeout,
                           what="the bot's reply")
        items = outgoing(self.fake)[self.shown:]
        self.shown += len(items)
        for r in items:
            p = r.params
            who = PEOPLE.get(p["chat_id"], p["chat_id"])
            if r.method == "sendDocument":
                name = p["document"].get("filename") if isinstance(p["document"], dict) else "file"
                print("\nsertibot -> %s: [document %s]" % (who, name))
                continue
            verb = {"sendMessage": "", "editMessageText": " (edits its message)",
                    "editMessageReplyMarkup": " (changes the buttons)"}[r.method]
            print("\nsertibot -> %s%s:" % (who, verb))
            if "text" in p:
                for line in parse_html(p["text"])[0].splitlines():
                    print("  | " + line)
            markup = p.get("reply_markup") or {}
            for row in markup.get("inline_keyboard", []):
                print("  " + "  ".join("[%s]" % b["text"] for b in row))


def main():
    harness.BOT = harness.bot_path()
    env = Env()
    try:
        bot = env.bot().start().wait_polling()
        print("sertibot is running against the fake Telegram at %s" % env.fake.api_base)
        print("=" * 72)
        t = Transcript(env.fake)
        t.say(APPLICANT, "/start")
        t.show_replies(1)
        t.say(KADIS, "/start")
        t.show_replies(1)
        t.say(ADMIN, "/bahasa")
        t.show_replies(1)
        t.press(ADMIN, "lang:en", "English")
        t.show_replies(1)
        t.say(ADMIN, "/help", language_code="id")
        t.show_replies(1)
        t.say(APPLICANT, "<b>halo</b> & selamat pagi")
        t.show_replies(1)
        print("\n" + "=" * 72)
        time.sleep(0.3)
        code = bot.stop(signal.SIGTERM)
        print("sertibot stopped on SIGTERM with exit code %d" % code)
        return 0 if code == 0 else 1
    finally:
        env.close()


if __name__ == "__main__":
    sys.exit(main())
