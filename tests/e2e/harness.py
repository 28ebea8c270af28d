"""Shared by the end-to-end tests: runs the real sertibot binary against the
fake Telegram server, each test in its own temporary directory.

A test script is a list of functions named test_*; `run_tests(globals())`
runs them in order, prints one line each and the closing `N passed, N failed`
line, and exits non-zero if any failed."""

import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fake_telegram"))

from fake_telegram import FakeTelegram  # noqa: E402

TOKEN = "123456:TEST-TOKEN"

# The five people of the SOP, as the config names them.
KADIS = 1001
KABID = 1002
KASI = 1003
PELAKSANA = 1004
ADMIN = 1009
APPLICANT = 2001


def bot_path():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bot", required=True, help="path of the sertibot binary")
    args, _ = parser.parse_known_args()
    return os.path.abspath(args.bot)


class Bot:
    """One sertibot process with its own config and database."""

    def __init__(self, fake, workdir, token=TOKEN, config_overrides=None, clock=None):
        self.fake = fake
        self.workdir = workdir
        self.proc = None
        # Business time: None is the real clock; otherwise a file the bot reads
        # on every look at the time (SERTIBOT_CLOCK_FILE), moved by set_clock.
        self.clock_path = os.path.join(workdir, "clock") if clock is not None else None
        if clock is not None:
            self.set_clock(clock)
        self.stderr_path = os.path.join(workdir, "stderr-%d.log" % time.monotonic_ns())
        self.database = os.path.join(workdir, "sertibot.db")
        config = {
            "telegram": {"token": token, "api_base": fake.api_base, "poll_timeout": 2},
            "database": self.database,
            "officials": [
                {"telegram_id": KADIS, "role": "kadis", "name": "Dr. Kadis"},
                {"telegram_id": KABID, "role": "kabid", "name": "Kabid Standi"},
                {"telegram_id": KASI, "role": "kasi", "name": "Kasi Persandian"},
                {"telegram_id": PELAKSANA, "role": "pelaksana", "name": "Pelaksana Satu"},
            ],
            "admins": [ADMIN],
            "agencies": ["Dinas Kesehatan", "Dinas Pendidikan"],
            "pks": {"number": "PKS/001/2025", "signed": "2025-01-15", "valid_until": "2030-01-14"},
        }
        # The coming year's holidays, so the admins' monthly "no holidays
        # loaded" warning does not interleave with what a test watches; the
        # test of that warning takes this away.
        this_year = time.gmtime(time.time() + 7 * 3600).tm_year
        holidays_path = os.path.join(workdir, "holidays-extra.json")
        with open(holidays_path, "w") as f:
            json.dump([{"date": "%d-01-01" % y, "name": "Tahun Baru", "kind": "national"}
                       for y in sorted({this_year + 1, 2027})], f)
        config["calendar"] = {"holidays_file": holidays_path}
        for key, value in (config_overrides or {}).items():
            config[key] = value
        self.config_path = os.path.join(workdir, "sertibot.json")
        with open(self.config_path, "w") as f:
            json.dump(config, f)

    def set_clock(self, when):
        """Moves business time to `when` (a datetime, or ms since the epoch)."""
        ms = when if isinstance(when, int) else int(when.timestamp() * 1000)
        with open(self.clock_path + ".tmp", "w") as f:
            f.write(str(ms))
        os.replace(self.clock_path + ".tmp", self.clock_path)

    def start(self, extra_env=None):
        env = dict(os.environ)
        env.pop("SERTIBOT_TOKEN", None)
        env.pop("SERTIBOT_CLOCK_FILE", None)
        if self.clock_path:
            env["SERTIBOT_CLOCK_FILE"] = self.clock_path
        if PACE_SPEEDUP:
            env["SERTIBOT_TEST_PACE_SPEEDUP"] = str(PACE_SPEEDUP)
        env.update(extra_env or {})
        self._stderr = open(self.stderr_path, "w")
        self.proc = subprocess.Popen(
            [BOT, "--config", self.config_path, "--log-level", "debug"],
            cwd=self.workdir, env=env, stdout=subprocess.DEVNULL, stderr=self._stderr)
        return self

    def wait_polling(self, timeout=15):
        """Waits until this process has asked for updates."""
        started = len(self.fake.requests)
        self.fake.wait_for(
            lambda f: any(r.method == "getUpdates" for r in f.requests[started:])
            or any(r.method == "getUpdates" for r in f.requests),
            timeout=timeout, what="the bot polling getUpdates")
        return self

    def wait_exit(self, timeout=20):
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            self._stderr.close()

    def stop(self, sig=signal.SIGTERM, timeout=20):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        return self.wait_exit(timeout)

    def kill9(self):
        self.proc.kill()
        self.proc.wait()
        self._stderr.close()

    def stderr(self):
        with open(self.stderr_path) as f:
            return f.read()

    def alive(self):
        return self.proc.poll() is None


def db_rows(bot, sql, *args):
    """Rows of a query on the bot's database (read beside it: WAL mode)."""
    db = sqlite3.connect(bot.database)
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def texts_to(fake, chat_id):
    return [m["text"] for m in fake.sent_messages(chat_id)]


def wait_texts(fake, chat_id, count, timeout=10):
    """Waits until `chat_id` got at least `count` messages; returns their texts."""
    fake.wait_for(lambda f: len(f.sent_messages(chat_id)) >= count, timeout=timeout,
                  what="%d message(s) to chat %d" % (count, chat_id))
    return texts_to(fake, chat_id)


class Env:
    """What each test gets: a running fake server and a scratch directory."""

    def __init__(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="sertibot-e2e-")
        self.fake = FakeTelegram(token=TOKEN)
        self.fake.start()
        self.bots = []

    def bot(self, **kwargs):
        bot = Bot(self.fake, self.tmp.name, **kwargs)
        self.bots.append(bot)
        return bot

    def close(self):
        for bot in self.bots:
            if bot.proc and bot.proc.poll() is None:
                bot.proc.kill()
                bot.proc.wait()
        self.fake.stop()
        self.tmp.cleanup()


def run_tests(namespace):
    global BOT
    BOT = bot_path()
    tests = [(name, fn) for name, fn in namespace.items() if name.startswith("test_") and callable(fn)]
    passed = failed = 0
    for name, fn in tests:
        env = Env()
        started = time.monotonic()
        try:
            fn(env)
            passed += 1
            print("PASS %s (%.1f s)" % (name, time.monotonic() - started), flush=True)
        except Exception:  # noqa: BLE001 - a test's failure of any kind is reported
            failed += 1
            print("FAIL %s" % name, flush=True)
            traceback.print_exc()
            for bot in env.bots:
                try:
                    print("--- bot stderr (last 40 lines) ---")
                    print("\n".join(bot.stderr().splitlines()[-40:]))
                except OSError:
                    pass
        finally:
            env.close()
    print("%d passed, %d failed" % (passed, failed), flush=True)
    sys.exit(1 if failed else 0)


BOT = None
# Telegram's pacing (about one message a second per chat) is the bot's to
# keep, and tests/unit/test_pacing.c and the benchmarks check it; an
# end-to-end test checks behaviour, so its bot paces on a clock ten times
# faster (SERTIBOT_TEST_PACE_SPEEDUP). A benchmark sets this to None.
PACE_SPEEDUP = 10
