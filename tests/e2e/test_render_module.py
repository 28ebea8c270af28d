"""The renderer module (sertibot-render.so, core/render_module.h) through the
real binary: a waiting bot has not loaded cairo or pango (its
/proc/<pid>/maps has neither) and loads them with the first letter it draws;
a bot whose module is missing answers a letter request with its polite error,
logs why once, and goes on working; check-config says whether the module
loads."""

import os
import subprocess

from harness import KASI, db_rows, run_tests
import harness
from sop import Chat

MISSING = "/nonexistent/sertibot-render.so"
DRAWING_LIBRARIES = ("libcairo", "libpango", "libfontconfig", "sertibot-render")
SORRY = "terjadi gangguan di sisi kami"  # error.internal in id.json


def mapped(pid):
    """The names of the files mapped into process `pid`."""
    with open("/proc/%d/maps" % pid) as f:
        return {os.path.basename(line.split()[5]) for line in f if len(line.split()) > 5}


def drawing_libraries(pid):
    return sorted(name for name in mapped(pid) if name.startswith(DRAWING_LIBRARIES))


def a_case_the_kasi_can_see(env, extra_env=None):
    bot = env.bot().start(extra_env=extra_env).wait_polling()
    chat = Chat(env.fake, bot)
    chat.register_applicant()
    number = chat.submit()
    return bot, chat, number


def ask_for_the_sheet(chat, number):
    """The Kasi opens the case and presses "Lembar disposisi"; returns the
    press's answer."""
    chat.send(KASI, "/status " + number)
    return chat.press(KASI, r"^sheet:\d+$")


def sheets(env):
    return [d for d in env.fake.documents(KASI) if d["filename"].startswith("lembar-disposisi")]


def test_cairo_and_pango_are_loaded_with_the_first_letter_only(env):
    bot, chat, number = a_case_the_kasi_can_see(env)
    pid = bot.proc.pid
    assert drawing_libraries(pid) == [], drawing_libraries(pid)
    ask_for_the_sheet(chat, number)
    sheet = env.fake.wait_for(lambda f: sheets(env), what="the disposition sheet")[-1]
    assert sheet["data"].startswith(b"%PDF"), sheet["filename"]
    loaded = drawing_libraries(pid)
    for name in ("libcairo", "libpango", "sertibot-render"):
        assert any(n.startswith(name) for n in loaded), loaded
    assert "loaded the renderer module" in bot.stderr(), bot.stderr()


def test_a_missing_module_gets_the_polite_error_and_the_bot_goes_on(env):
    bot, chat, number = a_case_the_kasi_can_see(env, {"SERTIBOT_RENDER_MODULE": MISSING})
    for _ in range(2):
        answer = ask_for_the_sheet(chat, number)
        assert SORRY in answer, answer
    chat.wait_text(KASI, SORRY)
    assert sheets(env) == []
    assert bot.alive()
    # Both presses were kept as failed updates, and why is in the log, once.
    failed = db_rows(bot, "SELECT reason FROM failed_updates")
    assert len(failed) == 2 and all("No such file" in r[0] for r in failed), failed
    log = bot.stderr()
    assert log.count("cannot load the renderer module " + MISSING) == 1, log
    # The rest of the bot still works: the case's card is shown again.
    before = len(env.fake.sent_messages(KASI))
    chat.send(KASI, "/status " + number)
    env.fake.wait_for(lambda f: len(f.sent_messages(KASI)) > before, what="the card again")
    assert number in env.fake.sent_messages(KASI)[-1]["text"]
    assert drawing_libraries(bot.proc.pid) == []
    assert bot.stop() == 0


def check_config(bot, extra_env=None):
    env = dict(os.environ)
    env.pop("SERTIBOT_TOKEN", None)
    env.pop("SERTIBOT_RENDER_MODULE", None)
    env.update(extra_env or {})
    done = subprocess.run([harness.BOT, "check-config", "--config", bot.config_path], env=env,
                          cwd=bot.workdir, capture_output=True, text=True, timeout=60)
    return done.returncode, done.stdout


def line_of(out, what):
    return next((line for line in out.splitlines() if what in line), "")


def test_check_config_says_whether_the_module_loads(env):
    bot = env.bot()
    code, out = check_config(bot)
    beside = os.path.join(os.path.dirname(harness.BOT), "sertibot-render.so")
    assert code == 0, out
    line = line_of(out, "renderer module")
    assert line.split()[:4] == ["ok", "renderer", "module", beside + ":"], out
    assert "loads" in line, out
    code, out = check_config(bot, {"SERTIBOT_RENDER_MODULE": MISSING})
    assert code == 2, out
    line = line_of(out, "renderer module")
    assert line.split()[:4] == ["FAIL", "renderer", "module", MISSING + ":"], out
    assert "No such file" in line, out


if __name__ == "__main__":
    run_tests(globals())
