#!/usr/bin/env python3
"""bench_bot: the running bot's costs, measured on the real binary against the
fake Telegram (tests/fake_telegram), as the end-to-end tests run it.

Prints figures; asserts nothing about time. CPU is the process's own, all
threads (/proc/<pid>/task/*/schedstat, in ns; utime + stime from
/proc/<pid>/stat if the kernel keeps no schedstat), memory its VmRSS / VmHWM.

  idle        RSS after start (and what it is made of), CPU over 10 s idle,
              with and without GNUTLS_NO_IMPLICIT_INIT=1 (the service unit's);
              then RSS after the first letter (the disposition sheet), which
              loads the renderer module (cairo, pango) the idle bot has not
  paced       30 messages queued to one chat: time, CPU while they wait
              their turn (about one a second)
  busy        40 chats with 10 messages each, all waiting their turn
  disposition CPU of one disposition (two taps: instruction + forward) with
              N open cases, from the first tap until everything it caused
              was delivered, pacing waits included; peak RSS
  chats       one message to each of 1,000 chats against a fake that
              enforces Telegram's limits: time from the first to the last,
              CPU, 429s

Usage: bench/bench_bot.py --bot build-bench/sertibot [--cases 1,100,1000]
       [--chats 1000] [--reps 3] [--only idle,paced,busy,disposition,chats]"""

import argparse
import json
import os
import sqlite3
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "e2e"))

import harness  # noqa: E402
from harness import ADMIN, Env, KADIS, KASI  # noqa: E402
from sop import Chat  # noqa: E402

TICK_S = 1.0 / os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def cpu_ms(pid):
    """CPU time of all the process's threads, in ms: /proc's schedstat (ns)
    where the kernel keeps it, else utime + stime from stat (10 ms ticks)."""
    total_ns = 0
    try:
        for task in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/schedstat" % (pid, task)) as f:
                total_ns += int(f.read().split()[0])
        return total_ns / 1e6
    except (OSError, ValueError, IndexError):
        pass
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * TICK_S * 1000


def status_kb(pid, *keys):
    """The named fields of /proc/<pid>/status, in kB."""
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in keys:
                out[key] = int(value.split()[0])
    return out


def rss_by_mapping(pid, top=8):
    """Resident kB per mapped file (or [heap], [anon]), largest first."""
    sizes = {}
    name = "[anon]"
    with open("/proc/%d/smaps" % pid) as f:
        for line in f:
            head = line.split()
            if not head:
                continue
            if "-" in head[0] and ":" not in head[0]:
                name = head[5] if len(head) > 5 else "[anon]"
            elif head[0] == "Rss:":
                sizes[name] = sizes.get(name, 0) + int(head[1])
    return sorted(sizes.items(), key=lambda kv: -kv[1])[:top]


def pss_kb(pid):
    """The proportional set size of the whole process (smaps_rollup), in kB."""
    with open("/proc/%d/smaps_rollup" % pid) as f:
        for line in f:
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return 0


DRAWING_LIBRARIES = ("libcairo", "libpango", "libfontconfig", "libharfbuzz", "libfreetype",
                     "libpixman", "libX11", "libxcb", "sertibot-render")


def drawing_mapped(pid):
    """Which of the renderer's libraries are mapped into the process."""
    names = set()
    with open("/proc/%d/maps" % pid) as f:
        for line in f:
            fields = line.split()
            if len(fields) > 5 and os.path.basename(fields[5]).startswith(DRAWING_LIBRARIES):
                names.add(os.path.basename(fields[5]).split(".so")[0])
    return ", ".join(sorted(names)) or "none"


def outbox_left(bot):
    db = sqlite3.connect(bot.database)
    try:
        return db.execute("SELECT count(*) FROM outbox").fetchone()[0]
    finally:
        db.close()


def started_bot(env, **kwargs):
    bot = env.bot(**kwargs)
    bot.start()
    bot.wait_polling()
    return bot


# --- idle ------------------------------------------------------------------

def print_memory(what, pid):
    mem = status_kb(pid, "VmRSS", "RssAnon", "RssFile", "VmHWM", "Threads")
    print("%s: VmRSS %d kB (anonymous %d, files %d), PSS %d kB, VmHWM %d kB, %d thread(s)"
          % (what, mem["VmRSS"], mem["RssAnon"], mem["RssFile"], pss_kb(pid), mem["VmHWM"],
             mem["Threads"]))
    print("  drawing libraries mapped: " + drawing_mapped(pid))
    print("  resident by mapping (kB): " +
          ", ".join("%s %d" % (os.path.basename(n) or n, kb) for n, kb in rss_by_mapping(pid)))


def bench_idle(extra_env=None, first_letter=False):
    env = Env()
    try:
        bot = env.bot()
        bot.start(extra_env=extra_env)
        bot.wait_polling()
        time.sleep(3)  # the first scheduler look, the first long polls
        pid = bot.proc.pid
        label = "idle" + "".join(" %s=%s" % kv for kv in (extra_env or {}).items())
        print_memory(label, pid)
        cpu0 = cpu_ms(pid)
        time.sleep(10)
        print("  CPU over 10 s idle: %.0f ms" % (cpu_ms(pid) - cpu0))
        if first_letter:
            chat = Chat(env.fake, bot)
            chat.register_applicant()
            number = chat.submit()
            chat.send(KASI, "/status " + number)
            chat.press(KASI, r"^sheet:\d+$")
            env.fake.wait_for(lambda f: [d for d in f.documents(KASI)
                                         if d["filename"].startswith("lembar-disposisi")],
                              what="the disposition sheet")
            time.sleep(1)
            print_memory("after the first letter (a disposition sheet)", pid)
        bot.stop()
    finally:
        env.close()


# --- paced: many messages to one chat ----------------------------------------

def queue_rows(bot, chat_ids, text):
    """Queues one sendMessage per chat id, as a handler's transaction would."""
    db = sqlite3.connect(bot.database, timeout=10)
    try:
        with db:
            db.executemany(
                "INSERT INTO outbox(chat_id, method, payload, card_key, created_at, not_before) "
                "VALUES (?, 'sendMessage', ?, NULL, 0, 0)",
                [(c, json.dumps({"chat_id": c, "text": text})) for c in chat_ids])
    finally:
        db.close()


def delivered_to(fake, chat_ids):
    wanted = set(chat_ids)
    return [r for r in fake.requests
            if r.method == "sendMessage" and r.status == 200 and r.params.get("chat_id") in wanted]


def drain(env, chat_ids, limits, timeout):
    """Starts a bot whose outbox holds one message per entry of chat_ids (a chat
    may repeat), and measures their delivery: (seconds first to last arrival,
    CPU ms from the first arrival to the last, 429s, VmHWM kB)."""
    bot = started_bot(env)
    bot.stop()
    queue_rows(bot, chat_ids, "Pemberitahuan")
    if limits:
        env.fake.enforce_limits()
    bot.start()
    pid = bot.proc.pid
    fake = env.fake
    first = env.fake.wait_for(lambda f: delivered_to(f, chat_ids), timeout=30,
                              what="the first message")[0]
    cpu0 = cpu_ms(pid)
    fake.wait_for(lambda f: len(delivered_to(f, chat_ids)) >= len(chat_ids), timeout=timeout,
                  what="every message delivered")
    cpu1 = cpu_ms(pid)
    last = max(r.time for r in delivered_to(fake, chat_ids))
    hwm = status_kb(pid, "VmHWM")["VmHWM"]
    refused = sum(1 for r in fake.requests if r.method == "sendMessage" and r.status == 429)
    bot.stop()
    return last - first.time, cpu1 - cpu0, refused, hwm


def bench_paced(count=30):
    env = Env()
    try:
        seconds, cpu, refused, _ = drain(env, [harness.APPLICANT] * count, True, 120)
        print("paced: %d messages to one chat in %.1f s (the limits allow %.1f s); CPU %.0f ms "
              "(%.2f ms a message); %d 429s" % (count, seconds, count - 3, cpu, cpu / count, refused))
    finally:
        env.close()


def bench_busy(chats=40, each=10):
    """Many chats each waiting their turn: where re-reading the outbox after
    every send, or looking at only the first 16 chats, would show."""
    env = Env()
    try:
        ids = [3000001 + c for c in range(chats)] * each
        seconds, cpu, refused, _ = drain(env, ids, True, 120)
        print("busy: %d chats x %d messages in %.1f s (the limits allow %.1f s); CPU %.0f ms "
              "(%.2f ms a message); %d 429s"
              % (chats, each, seconds, max(each - 3, (chats * each - 30) / 30.0), cpu,
                 cpu / len(ids), refused))
    finally:
        env.close()


def bench_chats(chats):
    env = Env()
    try:
        ids = list(range(3000001, 3000001 + chats))
        seconds, cpu, refused, hwm = drain(env, ids, True, 10 + chats / 10)
        allowed = (chats - 30) / 30.0
        print("chats: one message to each of %d chats in %.2f s, first to last (the limits "
              "allow %.2f s: %+.1f%%); CPU %.0f ms (%.2f ms a message); %d 429s; VmHWM %d kB"
              % (chats, seconds, allowed, (seconds / allowed - 1) * 100, cpu, cpu / chats,
                 refused, hwm))
    finally:
        env.close()


# --- disposition with N open cases ------------------------------------------

def clone_cases(bot, template_id, copies):
    """Adds `copies` open cases like `template_id` (with its agenda entry,
    holders and step clock), straight into the stopped bot's database."""
    db = sqlite3.connect(bot.database)
    try:
        with db:
            tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
                      if t in ("agenda", "holders", "step_clocks")]
            case_cols = [c[1] for c in db.execute("PRAGMA table_info(cases)") if c[1] != "id"]
            next_agenda = db.execute("SELECT coalesce(max(number), 0) + 1 FROM agenda").fetchone()[0]
            for k in range(copies):
                cols = ",".join(case_cols)
                values = ",".join("number || '-%d'" % k if c == "number" else c for c in case_cols)
                cur = db.execute("INSERT INTO cases(%s) SELECT %s FROM cases WHERE id = ?"
                                 % (cols, values), (template_id,))
                new_id = cur.lastrowid
                for table in tables:
                    cols_t = [c[1] for c in db.execute("PRAGMA table_info(%s)" % table)
                              if c[1] != "id"]
                    picked = []
                    for c in cols_t:
                        if c == "case_id":
                            picked.append(str(new_id))
                        elif table == "agenda" and c == "number":
                            picked.append(str(next_agenda + k))
                        else:
                            picked.append(c)
                    db.execute("INSERT INTO %s(%s) SELECT %s FROM %s WHERE case_id = ?"
                               % (table, ",".join(cols_t), ",".join(picked), table),
                               (template_id,))
    finally:
        db.close()


def bench_disposition(open_cases, extra_env=None):
    env = Env()
    try:
        bot = env.bot()
        bot.start(extra_env)
        bot.wait_polling()
        chat = Chat(env.fake, bot)
        chat.register_applicant()
        chat.submit()
        case_id = harness.db_rows(bot, "SELECT max(id) FROM cases")[0][0]
        bot.stop()
        clone_cases(bot, case_id, open_cases - 1)
        bot.start(extra_env)
        bot.wait_polling()
        chat.settle()
        time.sleep(2)
        pid = bot.proc.pid
        open_now = harness.db_rows(bot, "SELECT count(*) FROM cases WHERE closed_at IS NULL")[0][0]
        sent0 = len(env.fake.requests)
        cpu0 = cpu_ms(pid)
        started = time.monotonic()
        chat.dispose(KADIS)  # each tap waits until everything it caused was delivered
        wall = time.monotonic() - started
        cpu = cpu_ms(pid) - cpu0
        calls = [r.method for r in env.fake.requests[sent0:] if r.method != "getUpdates"]
        # the Kadis's task list: every open case in one answer
        chat.send(KADIS, "/tugas")
        mem = status_kb(pid, "VmHWM", "VmRSS", "RssAnon", "Threads")
        print("disposition with %d open cases: CPU %.1f ms over %.1f s (%d API calls); "
              "then VmRSS %d kB (anonymous %d), VmHWM %d kB, %d thread(s)"
              % (open_now, cpu, wall, len(calls), mem["VmRSS"], mem["RssAnon"], mem["VmHWM"],
                 mem["Threads"]))
        bot.stop()
    finally:
        env.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bot", required=True)
    parser.add_argument("--cases", default="1,100,1000")
    parser.add_argument("--chats", type=int, default=1000)
    parser.add_argument("--reps", type=int, default=3, help="dispositions per N")
    parser.add_argument("--only", default="idle,paced,busy,disposition,chats")
    args = parser.parse_args()
    harness.BOT = os.path.abspath(args.bot)
    harness.PACE_SPEEDUP = None  # the benchmarks measure the real pacing
    only = args.only.split(",")
    if "idle" in only:
        bench_idle()
        bench_idle({"GNUTLS_NO_IMPLICIT_INIT": "1"}, first_letter=True)
    if "paced" in only:
        bench_paced()
    if "busy" in only:
        bench_busy()
    if "disposition" in only:
        for n in (int(x) for x in args.cases.split(",")):
            for _ in range(args.reps):
                bench_disposition(n)
    if "chats" in only:
        bench_chats(args.chats)


if __name__ == "__main__":
    main()
