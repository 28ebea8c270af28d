"""/admin and /plh through the real binary and the fake Telegram.

The bot's business clock is real time here, so dates are computed from the
real clock in WIB (UTC+7), as the bot does."""

import datetime
import sqlite3
import time

from harness import (ADMIN, APPLICANT, KABID, KADIS, KASI, PELAKSANA, run_tests, texts_to,
                     wait_texts)

NEW_PERSON = 1005


def wib_today(offset_days=0):
    now = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=7)
    return (now.date() + datetime.timedelta(days=offset_days)).isoformat()


def query(bot, sql, args=()):
    conn = sqlite3.connect(bot.database, timeout=10)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def officials(bot):
    return query(bot, "SELECT telegram_id, role, name, active FROM officials ORDER BY telegram_id")


def plh_rows(bot):
    return query(bot, "SELECT id, role, acting_id, date_from, date_to, ended FROM plh ORDER BY id")


def say(env, user, text, language_code="id"):
    """Sends `text` as `user` and returns the bot's answer (the next message to them)."""
    before = len(env.fake.sent_messages(user))
    env.fake.push_message(user, text, first_name="U%d" % user, language_code=language_code)
    return wait_texts(env.fake, user, before + 1)[before]


def press(env, user, data, message_id):
    env.fake.push_callback(user, data, message_id=message_id)
    query_id = env.fake.callback_ids[-1]
    env.fake.wait_for(lambda f: any(c["callback_query_id"] == query_id
                                    for c in f.calls("answerCallbackQuery")),
                      what="the press of %s answered" % data)
    return [c for c in env.fake.calls("answerCallbackQuery") if c["callback_query_id"] == query_id][0]


def buttons(message):
    markup = message.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


def seed_cases(env):
    """Starts the bot once so it creates its schema, stops it, and puts two
    open cases in the database as the intake would have left them further on:
    SE-0001 waiting for the Kadis's disposition, SE-0002 with the Pelaksana
    checking the files. Returns the restarted bot."""
    bot = env.bot()
    bot.start().wait_polling()
    assert bot.stop() == 0
    now_ms = int(time.time() * 1000)
    conn = sqlite3.connect(bot.database)
    with conn:
        agency = conn.execute("SELECT id FROM agencies WHERE name = 'Dinas Kesehatan'").fetchone()[0]
        for number, state, pelaksana in (("SE-0001", "s1_disposisi_kadis", None),
                                         ("SE-0002", "s4_periksa_pelaksana", PELAKSANA)):
            cur = conn.execute(
                "INSERT INTO cases(number, agency_id, applicant_id, state, version, pelaksana_id, "
                "letter_number, letter_date, subject, created_at, state_since) "
                "VALUES (?, ?, ?, ?, 3, ?, '800/1', ?, 'Sertifikat elektronik', ?, ?)",
                (number, agency, APPLICANT, state, pelaksana, wib_today(), now_ms, now_ms))
            year = int(wib_today()[:4])
            conn.execute(
                "INSERT INTO agenda(year, number, case_id, received_at, sender, letter_number, "
                "letter_date, subject) VALUES (?, ?, ?, ?, 'Dinas Kesehatan', '800/1', ?, "
                "'Sertifikat elektronik')",
                (year, cur.lastrowid, cur.lastrowid, now_ms, wib_today()))
    conn.close()
    bot = env.bot()
    bot.start().wait_polling()
    return bot


# --- /admin -------------------------------------------------------------------

def test_admin_overview_lists_officials_and_explains_each_form(env):
    env.bot().start().wait_polling()
    text = say(env, ADMIN, "/admin")
    for name, user in (("Dr. Kadis", KADIS), ("Kabid Standi", KABID), ("Kasi Persandian", KASI),
                       ("Pelaksana Satu", PELAKSANA)):
        assert name in text and str(user) in text, text
    assert "belum pernah membuka bot" in text, text  # nobody has written to the bot yet
    assert "menunggu keputusan: 0" in text, text
    overview = env.fake.sent_messages(ADMIN)[-1]
    assert buttons(overview) == ["adm:set", "adm:remove", "adm:reassign", "adm:standard"], \
        buttons(overview)
    press(env, ADMIN, "adm:set", overview["message_id"])
    howto = wait_texts(env.fake, ADMIN, 2)[-1]
    assert "/admin pejabat 123456789 pelaksana" in howto, howto
    press(env, ADMIN, "adm:reassign", overview["message_id"])
    howto = wait_texts(env.fake, ADMIN, 3)[-1]
    assert "/admin ganti SE-0012 123456789" in howto, howto


def test_admin_revises_a_steps_time_standard(env):
    bot = env.bot().start().wait_polling()
    answer = say(env, ADMIN, "/admin standar 3 240")
    assert "langkah 3" in answer and "1 hari kerja" in answer and "4 jam" in answer, answer
    answer = say(env, ADMIN, "/admin standar 9 240")
    assert "Tidak ada yang diubah" in answer and "9" in answer, answer
    answer = say(env, ADMIN, "/admin standar 2 nol")
    assert "nol" in answer, answer
    db = sqlite3.connect(bot.database)
    rows = db.execute("SELECT step, minutes FROM step_standards ORDER BY step").fetchall()
    db.close()
    assert rows == [(1, 15), (2, 15), (3, 240), (4, 120), (5, 15), (6, 450), (7, 450)], rows


def test_admin_adds_a_pelaksana_who_is_then_told_their_role(env):
    bot = env.bot().start().wait_polling()
    answer = say(env, ADMIN, "/admin pejabat %d pelaksana Budi Santoso" % NEW_PERSON)
    assert "Budi Santoso" in answer and "kini terdaftar sebagai Pelaksana" in answer, answer
    assert (NEW_PERSON, "pelaksana", "Budi Santoso", 1) in officials(bot), officials(bot)
    start = say(env, NEW_PERSON, "/start")
    assert "Anda terdaftar sebagai Pelaksana" in start, start
    assert "belum terdaftar" not in start, start
    # changing the same person: the answer says what it was
    answer = say(env, ADMIN, "/admin pejabat %d kasi Budi S." % NEW_PERSON)
    assert "sebelumnya Budi Santoso, Pelaksana" in answer, answer
    assert (NEW_PERSON, "kasi", "Budi S.", 1) in officials(bot), officials(bot)


def test_admin_english_forms(env):
    bot = env.bot().start().wait_polling()
    answer = say(env, ADMIN, "/admin official %d kasi Dewi Lestari" % NEW_PERSON, "en")
    assert "is now registered as Kasi (Head of the Cryptography Section)" in answer, answer
    answer = say(env, ADMIN, "/admin remove %d" % NEW_PERSON, "en")
    assert "no longer registered" in answer, answer
    assert (NEW_PERSON, "kasi", "Dewi Lestari", 0) in officials(bot), officials(bot)


def test_non_admin_is_refused(env):
    bot = env.bot().start().wait_polling()
    before = officials(bot)
    for user in (KADIS, APPLICANT):
        answer = say(env, user, "/admin pejabat %d kadis Penyusup" % NEW_PERSON)
        assert "bukan untuk peran Anda" in answer, answer
    assert officials(bot) == before, officials(bot)


def test_bad_admin_input_changes_nothing(env):
    bot = env.bot().start().wait_polling()
    before = officials(bot)
    cases = [
        ("/admin pejabat %d bupati Budi" % NEW_PERSON, ["«bupati»", "tidak dikenal"]),
        ("/admin pejabat %d pelaksana" % NEW_PERSON, ["Nama pejabat belum ditulis"]),
        ("/admin pejabat %d" % NEW_PERSON, ["Peran belum ditulis"]),
        ("/admin pejabat abc pelaksana Budi", ["«abc» bukan ID Telegram"]),
        ("/admin pejabat", ["ID Telegram belum ditulis"]),
        ("/admin pejabat %d pelaksana %s" % (NEW_PERSON, "x" * 61), ["terlalu panjang"]),
        ("/admin hapus %d %d" % (PELAKSANA, KASI), ["kata berlebih"]),
        ("/admin hapus 4242", ["bukan pejabat aktif"]),
        ("/admin pecat %d" % PELAKSANA, ["«pecat» bukan perintah /admin"]),
    ]
    for text, expected in cases:
        answer = say(env, ADMIN, text)
        for part in expected:
            assert part in answer, (text, answer)
        if text.startswith("/admin pejabat") or text.startswith("/admin hapus"):
            assert "Tidak ada yang diubah" in answer, (text, answer)
        assert officials(bot) == before, (text, officials(bot))


def test_admin_removes_an_official(env):
    bot = env.bot().start().wait_polling()
    answer = say(env, ADMIN, "/admin hapus %d" % PELAKSANA)
    assert "Pelaksana Satu" in answer and "tidak lagi terdaftar" in answer, answer
    assert (PELAKSANA, "pelaksana", "Pelaksana Satu", 0) in officials(bot), officials(bot)
    start = say(env, PELAKSANA, "/start")
    assert "belum terdaftar" in start, start
    overview = say(env, ADMIN, "/admin")
    assert "Pelaksana Satu" not in overview, overview


def test_admin_reassigns_the_pelaksana_of_a_case(env):
    bot = seed_cases(env)
    say(env, ADMIN, "/admin pejabat %d pelaksana Budi Santoso" % NEW_PERSON)

    answer = say(env, ADMIN, "/admin ganti SE-0002 %d" % KASI)
    assert "bukan Pelaksana" in answer, answer
    answer = say(env, ADMIN, "/admin ganti SE-0001 %d" % NEW_PERSON)
    assert "tidak dapat diganti" in answer and "Disposisi Kadis" in answer, answer
    answer = say(env, ADMIN, "/admin ganti SE-0099 %d" % NEW_PERSON)
    assert "SE-0099 tidak ada" in answer, answer
    answer = say(env, ADMIN, "/admin ganti nomor %d" % NEW_PERSON)
    assert "«nomor» bukan nomor permohonan" in answer, answer
    assert query(bot, "SELECT number, coalesce(pelaksana_id, 0) FROM cases ORDER BY id") == [
        ("SE-0001", 0), ("SE-0002", PELAKSANA)]

    answer = say(env, ADMIN, "/admin ganti se-2 %d" % NEW_PERSON)
    assert "SE-0002" in answer and "Budi Santoso" in answer and "Pelaksana Satu" in answer, answer
    assert query(bot, "SELECT pelaksana_id FROM cases WHERE number = 'SE-0002'") == [(NEW_PERSON,)]
    card = wait_texts(env.fake, NEW_PERSON, 1)[0]
    assert "SE-0002" in card, card
    assert query(bot, "SELECT event, acted_as FROM audit WHERE case_id = 2") == [("reassign", "admin")]


def test_help_lists_admin_and_plh_to_those_who_may_use_them(env):
    env.bot().start().wait_polling()
    admin = say(env, ADMIN, "/help")
    assert "/admin — Kelola pejabat" in admin and "/plh — Tunjuk pejabat Plh" in admin, admin
    kadis = say(env, KADIS, "/help", "en")
    assert "/plh — Name acting officials" in kadis and "/admin" not in kadis, kadis
    pelaksana = say(env, PELAKSANA, "/help")
    assert "/plh" not in pelaksana and "/admin" not in pelaksana, pelaksana


# --- /plh ---------------------------------------------------------------------

def test_kadis_names_kabid_plh_kadis_who_is_told_and_gets_waiting_cards(env):
    bot = seed_cases(env)
    today, tomorrow = wib_today(), wib_today(1)
    answer = say(env, KADIS, "/plh kadis %d %s %s" % (KABID, today, tomorrow))
    assert "Kabid Standi" in answer and "ditunjuk sebagai Plh. Kadis" in answer, answer
    assert "1 permohonan menunggu" in answer, answer
    rows = plh_rows(bot)
    assert [(r[1], r[2], r[3], r[4], r[5]) for r in rows] == [("kadis", KABID, today, tomorrow, 0)], rows

    env.fake.wait_for(lambda f: len(f.sent_messages(KABID)) >= 2, what="the Kabid told and sent the card")
    kabid = texts_to(env.fake, KABID)
    assert "Anda ditunjuk sebagai Plh. Kadis" in kabid[0], kabid
    assert any("SE-0001" in t for t in kabid[1:]), kabid  # the Kadis's waiting case follows the Plh

    listing = say(env, KADIS, "/plh")
    assert "Plh. Kadis: Kabid Standi" in listing and "berlaku sekarang" in listing, listing
    message = env.fake.sent_messages(KADIS)[-1]
    end = "plh:end:%d" % rows[0][0]
    assert buttons(message) == [end, "plh:r:kadis", "plh:r:kabid", "plh:r:kasi"], buttons(message)

    # someone who may not name a Plh Kadis may not end one either
    answer = press(env, KASI, end, message["message_id"])
    assert "tidak dapat mengakhiri" in answer.get("text", ""), answer
    assert plh_rows(bot)[0][5] == 0

    answer = press(env, KADIS, end, message["message_id"])
    assert "diakhiri" in answer.get("text", ""), answer
    assert plh_rows(bot)[0][5] == 1, plh_rows(bot)
    env.fake.wait_for(lambda f: any(e["chat_id"] == KADIS for e in f.edits), what="the list edited")
    edited = [e for e in env.fake.edits if e["chat_id"] == KADIS][-1]
    assert "diakhiri" in edited["text"] and "Tidak ada penunjukan Plh" in edited["text"], edited
    env.fake.wait_for(lambda f: any("diakhiri" in t for t in texts_to(f, KABID)),
                      what="the Kabid told the appointment ended")
    # the waiting case goes back to the Kadis
    env.fake.wait_for(lambda f: any("SE-0001" in t for t in texts_to(f, KADIS)),
                      what="the Kadis's waiting card re-sent")
    assert "Tidak ada penunjukan Plh" in say(env, KADIS, "/plh")


def test_kasi_cannot_name_a_plh_kadis(env):
    bot = env.bot().start().wait_polling()
    answer = say(env, KASI, "/plh kadis %d %s %s" % (PELAKSANA, wib_today(), wib_today(1)))
    assert "tidak dapat menunjuk Plh. atau Plt. Kadis" in answer, answer
    answer = say(env, PELAKSANA, "/plh")
    assert "bukan untuk peran Anda" in answer, answer
    assert plh_rows(bot) == []
    # but the Kasi may name an acting Kasi
    answer = say(env, KASI, "/plh kasi %d %s %s" % (PELAKSANA, wib_today(), wib_today()))
    assert "ditunjuk sebagai Plh. Kasi" in answer, answer
    assert len(plh_rows(bot)) == 1


def test_plt_is_named_with_a_last_word_and_said_plt(env):
    bot = env.bot().start().wait_polling()
    today, later = wib_today(), wib_today(20)
    answer = say(env, KADIS, "/plh kabid %d %s %s plt" % (KASI, today, later))
    assert "ditunjuk sebagai Plt. Kabid" in answer and "Plh." not in answer, answer
    assert query(bot, "SELECT role, acting_id, kind FROM plh") == [("kabid", KASI, "plt")]
    env.fake.wait_for(lambda f: any("Plt. Kabid" in t for t in texts_to(f, KASI)),
                      what="the Kasi told as Plt.")
    listing = say(env, KADIS, "/plh")
    assert "Plt. Kabid: Kasi" in listing and "Plh. Kabid" not in listing, listing
    message = env.fake.sent_messages(KADIS)[-1]
    labels = [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row]
    assert labels and labels[0].startswith("Akhiri Plt. Kabid"), labels
    english = say(env, KADIS, "/plh", "en")
    assert "Acting (Plt.) Kabid" in english, english
    # without the word it is a Plh., as before; a wrong last word changes nothing
    answer = say(env, KADIS, "/plh kasi %d %s %s" % (PELAKSANA, today, today))
    assert "ditunjuk sebagai Plh. Kasi" in answer, answer
    for text, expected in [("/plh kasi %d %s %s plx" % (PELAKSANA, today, today), "«plx»"),
                           ("/plh kasi %d %s %s plt lagi" % (PELAKSANA, today, today), "«lagi»")]:
        answer = say(env, KADIS, text)
        assert expected in answer and "Tidak ada yang diubah" in answer, (text, answer)
    assert query(bot, "SELECT kind FROM plh ORDER BY id") == [("plt",), ("plh",)]
    # /plt is the same form naming a Plt.; /help lists it to those who may name
    answer = say(env, KADIS, "/plt kasi %d %s %s" % (PELAKSANA, today, later))
    assert "ditunjuk sebagai Plt. Kasi" in answer, answer
    assert query(bot, "SELECT kind FROM plh ORDER BY id") == [("plt",), ("plh",), ("plt",)]
    assert "/plt — Tunjuk pejabat Plt." in say(env, KADIS, "/help")
    assert "/plt" not in say(env, APPLICANT, "/help")


def test_plh_bad_dates_and_people_are_refused(env):
    bot = env.bot().start().wait_polling()
    cases = [
        ("/plh kabid %d %s %s" % (KASI, wib_today(-3), wib_today(-1)), "sudah lewat"),
        ("/plh kabid %d %s %s" % (KASI, wib_today(2), wib_today(1)), "sesudah tanggal selesai"),
        ("/plh kabid %d 2026-02-30 %s" % (KASI, wib_today(1)), "«2026-02-30» bukan tanggal"),
        ("/plh kabid %d %s" % (KASI, wib_today()), "Tanggal mulai dan tanggal selesai"),
        ("/plh kabid %d %s %s" % (KABID, wib_today(), wib_today()), "itu sendiri"),
        ("/plh kabid %d %s %s" % (APPLICANT, wib_today(), wib_today()), "bukan pejabat aktif"),
        ("/plh pelaksana %d %s %s" % (KASI, wib_today(), wib_today()), "«pelaksana» bukan peran"),
    ]
    for text, expected in cases:
        answer = say(env, KADIS, text)
        assert expected in answer and "Tidak ada yang diubah" in answer, (text, answer)
    assert plh_rows(bot) == []
    # a later appointment is accepted, told as coming, and not in force today
    answer = say(env, KADIS, "/plh kabid %d %s %s" % (KASI, wib_today(3), wib_today(4)))
    assert "Berlaku mulai" in answer, answer
    assert "berlaku sekarang" not in say(env, KADIS, "/plh")


if __name__ == "__main__":
    run_tests(globals())
