"""The right people see the right things, through the real binary: the Kasi
receives every letter the bot generates, the applicant the signed
notification with their milestone, step 7 has exactly one live report card,
each person's command menu is scoped to their chat and follows role and Plh
changes, and /plh and /admin pick officials with buttons."""

import re
from datetime import datetime

from harness import ADMIN, APPLICANT, KABID, KADIS, KASI, PELAKSANA, db_rows, run_tests
from sop import HOLDERS, MONDAY_0900, WIB, Chat, current_messages, find_button
from test_schedule import confirmed_case


def documents_named(fake, chat_id, prefix):
    return [d for d in fake.documents(chat_id) if d["filename"].startswith(prefix)]


def start(env):
    bot = env.bot(clock=MONDAY_0900).start().wait_polling()
    chat = Chat(env.fake, bot)
    return bot, chat


def test_kasi_gets_the_generated_letters_and_the_applicant_the_signed_notification(env):
    fake = env.fake
    bot, chat = start(env)
    chat.register_applicant()
    number = chat.submit()
    chat.dispose(KADIS)
    chat.dispose(KABID)
    chat.check_everything()
    assert documents_named(fake, KASI, "draft-") == []
    chat.press(KASI, r"^c:\d+:\d+:set_draft_ready$")
    draft = fake.wait_for(lambda f: documents_named(f, KASI, "draft-" + number),
                          what="the generated draft to the Kasi")
    assert draft[0]["data"].startswith(b"%PDF"), draft[0]["data"][:8]
    assert number in draft[0]["caption"], draft[0]["caption"]
    chat.press(KASI, r"^c:\d+:\d+:forward$")
    chat.press(KASI, r"^c:\d+:\d+:forward:%d$" % PELAKSANA)
    chat.step4()
    # The signed recommendation goes to the Kasi too.
    assert documents_named(fake, KASI, "recommendation-" + number), fake.documents(KASI)
    chat.step5()
    chat.press(KASI, r"^c:\d+:\d+:ask_signature$")
    fake.wait_for(lambda f: documents_named(f, KASI, "notification-" + number),
                  what="the generated notification to the Kasi")
    assert not documents_named(fake, APPLICANT, "notification-"), "not before it is signed"
    chat.press(KADIS, r"^c:\d+:\d+:sign$")
    # The applicant gets the signed letter, its caption their milestone.
    signed = fake.wait_for(lambda f: documents_named(f, APPLICANT, "notification-" + number),
                           what="the signed notification to the applicant")
    assert len(signed) == 1, signed
    caption = signed[0]["caption"]
    assert "BSrE sudah menjawab permohonan %s: diterima" % number in caption, caption
    assert "Nomor 000.6/1/Diskominfostandi" in caption, caption
    assert signed[0]["data"].startswith(b"%PDF")
    # and the Kasi the numbered one as well, once each.
    numbered = [d for d in documents_named(fake, KASI, "notification-" + number)
                if d["filename"] != "notification-%s.pdf" % number]
    assert len(numbered) == 1, [d["filename"] for d in fake.documents(KASI)]


def live_cards(fake, chat_id, pattern=r"^r:\d+:\d+:login1$"):
    """The messages to `chat_id` that still show a step-7 report button."""
    rx = re.compile(pattern)
    return [mid for mid, m in current_messages(fake, chat_id).items()
            if any(rx.match(b.get("callback_data", ""))
                   for row in (m["markup"] or {}).get("inline_keyboard", []) for b in row)]


def test_step7_has_exactly_one_live_report_card(env):
    fake = env.fake
    bot, chat, _ = confirmed_case(env)  # Thursday 3 December 09:00-10:00
    first = fake.wait_for(lambda f: live_cards(f, PELAKSANA), what="the step-7 card")
    assert len(first) == 1, first
    old_id = first[0]
    chat.press(PELAKSANA, r"^r:\d+:\d+:login1$")  # a tick on the first card
    old_report = find_button(fake, PELAKSANA, r"^c:\d+:\d+:report$")[1]
    # The session's time is over: the question and a new card; the old one closes.
    bot.set_clock(datetime(2026, 12, 3, 10, 0, tzinfo=WIB))
    fake.wait_for(lambda f: [m for m in f.sent_messages(PELAKSANA) if "sudah selesai" in m["text"]],
                  what="the report question")
    chat.settle()
    live = fake.wait_for(lambda f: (lambda c: c if c and c[0] != old_id else None)(
        live_cards(f, PELAKSANA)), what="the new card")
    assert len(live) == 1 and live[0] != old_id, live
    old = current_messages(fake, PELAKSANA)[old_id]
    assert "Diganti oleh kartu baru" in old["text"] and not old["markup"], old
    # The tick made on the old card is on the new one.
    new_markup = current_messages(fake, PELAKSANA)[live[0]]["markup"]
    assert "✅" in str(new_markup), new_markup
    # A press on the old card, as if its edit had not arrived, is refused
    # and changes nothing.
    answer = chat.tap(PELAKSANA, old_report, message_id=old_id)
    assert "diganti" in answer.lower(), answer
    answer = chat.tap(PELAKSANA, old_report.replace(":report", ":no_show"), message_id=old_id)
    assert "diganti" in answer.lower(), answer
    chat.settle()
    assert db_rows(bot, "SELECT state FROM cases") == [("s7_pendampingan",)]
    # The new card works (login1 is ticked already).
    for item in ["login%d" % h for h in range(2, len(HOLDERS) + 1)] + ["usage", "security"]:
        chat.press(PELAKSANA, r"^r:\d+:\d+:%s$" % item)
    chat.press(PELAKSANA, r"^c:\d+:\d+:report$")
    assert db_rows(bot, "SELECT state FROM cases") == [("closed_selesai",)]


def menu(fake, chat_id):
    return set(fake.menu_for(chat_id))


def wait_menu(fake, chat_id, predicate, what):
    return fake.wait_for(lambda f: predicate(menu(f, chat_id)), what=what)


def test_command_menus_per_role_follow_role_and_plh_changes(env):
    fake = env.fake
    bot, chat = start(env)
    # The default scope shows only what anybody and an applicant may use.
    default = set(fake.menus()[("default", None, "")])
    assert {"start", "help", "ajukan", "status"} <= default, default
    assert not default & {"admin", "plh", "plt", "tugas", "libur"}, default
    # Each official and admin has a menu scoped to their own chat, once they
    # have written to the bot (Telegram has no chat with them before).
    people = {KADIS, KABID, KASI, PELAKSANA, ADMIN}
    assert not [key for key in fake.menus() if key[0] == "chat"], fake.menus()
    for person in sorted(people):
        chat.send(person, "/start")
    fake.wait_for(lambda f: people <= {key[1] for key in f.menus() if key[0] == "chat"},
                  what="a menu in each official's and admin's chat")
    assert {"plh", "tugas"} <= menu(fake, KADIS), menu(fake, KADIS)
    assert "admin" not in menu(fake, KADIS)
    assert "admin" in menu(fake, ADMIN) and "plh" in menu(fake, ADMIN)
    assert "plh" not in menu(fake, PELAKSANA) and "tugas" in menu(fake, PELAKSANA)
    # An applicant never sees /admin or /plh.
    chat.register_applicant()
    assert not menu(fake, APPLICANT) & {"admin", "plh", "plt"}, menu(fake, APPLICANT)
    assert APPLICANT not in {key[1] for key in fake.menus() if key[0] == "chat"}
    # Named Plh. Kasi, the Pelaksana gets the Kasi's commands; ended, not.
    chat.send(KADIS, "/plh kasi")
    chat.press(KADIS, r"^plh:n:kasi:%d:\d{8}:\d{8}:h$" % PELAKSANA)
    assert db_rows(bot, "SELECT role, acting_id FROM plh") == [("kasi", PELAKSANA)]
    wait_menu(fake, PELAKSANA, lambda m: "plh" in m and "jadwal" in m, "the Plh's menu")
    chat.send(KADIS, "/plh")
    chat.press(KADIS, r"^plh:end:\d+$")
    wait_menu(fake, PELAKSANA, lambda m: "plh" not in m, "the menu after the Plh ended")
    # A role changed by an admin: the menu is set again at once.
    chat.send(ADMIN, "/admin pejabat %d kasi Pelaksana Naik" % PELAKSANA)
    wait_menu(fake, PELAKSANA, lambda m: "plh" in m, "the menu after the role change")
    # In English for someone who chose English.
    chat.send(KABID, "/bahasa")
    chat.press(KABID, r"^lang:en$")
    wait_menu(fake, KABID, lambda m: "tasks" in m and "tugas" not in m, "the English menu")


def test_plh_and_admin_pick_officials_with_buttons(env):
    fake = env.fake
    bot, chat = start(env)
    # /plh's list offers a button per role the person may name.
    chat.send(KABID, "/plh")
    names = [b["text"] for row in fake.sent_messages(KABID)[-1]["reply_markup"]["inline_keyboard"]
             for b in row]
    assert any("Kabid" in n for n in names) and any("Kasi" in n for n in names), names
    assert not any("Kadis" in n for n in names), names
    chat.press(KABID, r"^plh:r:kasi$")
    picker = fake.sent_messages(KABID)[-1]
    labels = [b["text"] for row in picker["reply_markup"]["inline_keyboard"] for b in row]
    assert any(l.startswith("Pelaksana Satu") for l in labels), labels
    assert not any(l.startswith("Kasi Persandian") for l in labels), "not the Kasi for himself"
    # A forged pick of someone who is not an official is refused, nothing named.
    chat.tap(KABID, "plh:n:kasi:%d:20261130:20261130:h" % APPLICANT,
             message_id=picker["message_id"])
    chat.settle()
    assert db_rows(bot, "SELECT count(*) FROM plh") == [(0,)]
    assert "bukan pejabat aktif" in fake.sent_messages(KABID)[-1]["text"]
    # A forged pick for a role the Kabid may not name is refused.
    chat.tap(KABID, "plh:n:kadis:%d:20261130:20261130:h" % PELAKSANA,
             message_id=picker["message_id"])
    chat.settle()
    assert db_rows(bot, "SELECT count(*) FROM plh") == [(0,)]
    # Typed dates, the official picked by name.
    chat.send(KABID, "/plh kasi 2026-12-01 2026-12-02")
    chat.press(KABID, r"^plh:n:kasi:%d:20261201:20261202:h$" % PELAKSANA)
    assert db_rows(bot, "SELECT role, acting_id, date_from, date_to, kind FROM plh") == [
        ("kasi", PELAKSANA, "2026-12-01", "2026-12-02", "plh")]
    assert "Pelaksana Satu" in fake.sent_messages(KABID)[-1]["text"]
    # The typed id still works.
    chat.send(KADIS, "/plh kabid %d 2026-12-03 2026-12-04 plt" % KASI)
    assert db_rows(bot, "SELECT acting_id, kind FROM plh WHERE role = 'kabid'") == [(KASI, "plt")]
    chat.send(PELAKSANA, "/start")
    fake.wait_for(lambda f: "tugas" in f.menu_for(PELAKSANA), what="the Pelaksana's menu")
    # /admin ganti <case> picks among the Pelaksana; /admin hapus among all.
    chat.register_applicant()
    number = chat.submit()
    chat.send(ADMIN, "/admin ganti %s" % number)
    picker = fake.sent_messages(ADMIN)[-1]
    datas = [b["callback_data"] for row in picker["reply_markup"]["inline_keyboard"] for b in row]
    assert datas == ["adm:g:1:%d" % PELAKSANA], datas
    chat.send(ADMIN, "/admin hapus")
    picker = fake.sent_messages(ADMIN)[-1]
    datas = [b["callback_data"] for row in picker["reply_markup"]["inline_keyboard"] for b in row]
    assert "adm:h:%d" % PELAKSANA in datas and "adm:h:%d" % KADIS in datas, datas
    # The overview's "remove" button offers the same picker.
    chat.send(ADMIN, "/admin")
    chat.press(ADMIN, r"^adm:remove$")
    assert find_button(fake, ADMIN, r"^adm:h:%d$" % KABID), "no picker under the overview's button"
    chat.press(ADMIN, r"^adm:h:%d$" % PELAKSANA)
    assert db_rows(bot, "SELECT count(*) FROM officials WHERE telegram_id = ? AND active = 1",
                   PELAKSANA) == [(0,)]
    # and the menu of the one removed falls back to the applicant's list.
    fake.wait_for(lambda f: "tugas" not in f.menu_for(PELAKSANA), what="the removed one's menu")


if __name__ == "__main__":
    run_tests(globals())
