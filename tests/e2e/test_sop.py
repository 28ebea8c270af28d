"""The whole SOP in chat, through the real binary: registration, intake, the
seven steps with buttons, and what the workflow refuses."""

import os
import stat

from harness import ADMIN, APPLICANT, KABID, KADIS, KASI, PELAKSANA, db_rows, run_tests
from sop import LETTER_PDF, MONDAY_0900, Chat, find_button


def start(env, **kw):
    bot = env.bot(clock=MONDAY_0900, **kw).start().wait_polling()
    return bot, Chat(env.fake, bot)


def test_one_case_from_registration_to_closed(env):
    bot, chat = start(env)
    number = chat.whole_case()
    assert number == "SE-0001", number
    assert db_rows(bot, "SELECT state FROM cases") == [("closed_selesai",)]
    # the applicant heard every milestone, in order
    texts = chat.texts(APPLICANT)
    milestones = ["sudah kami terima", "didisposisikan Kadis", "dikirim ke BSrE",
                  "BSrE sudah menjawab", "Jadwal pendampingan", "disepakati", "selesai"]
    positions = [next(i for i, t in enumerate(texts) if m in t) for m in milestones]
    assert positions == sorted(positions), list(zip(milestones, positions))
    # the session report: the login of each holder, usage, security
    note = db_rows(bot, "SELECT note FROM audit WHERE event = 'report'")[0][0]
    assert note.startswith("✔ Login berhasil: Rina Wati\n"), note
    assert "✔ Login berhasil: Budi <b>Santoso</b> & Co" in note, note
    assert "Kerahasiaan dan keamanan akun dijelaskan" in note, note
    # the report went to the leadership
    for official in (KASI, KABID, KADIS):
        chat.wait_text(official, "Laporan pendampingan dikirim")
    # the Buku Agenda and the audit trail
    assert db_rows(bot, "SELECT year, number, sender, letter_number FROM agenda") == [
        (2026, 1, "Dinas Kesehatan", "800/123/Dinkes")]
    events = [r[0] for r in db_rows(bot, "SELECT event FROM audit ORDER BY id")]
    assert events[0] == "submit" and events[-1] == "report", events
    assert events.count("dispose") == 2 and events.count("sign") == 2, events
    # each step's clock ran and stopped; the Kadis's disposition was recorded
    clocks = db_rows(bot, "SELECT step FROM step_clocks WHERE ended_at IS NOT NULL ORDER BY id")
    assert [c[0] for c in clocks] == [1, 2, 3, 4, 5, 6, 7], clocks
    assert db_rows(bot, "SELECT step, instructions FROM dispositions ORDER BY id") == [(1, "0"), (2, "0")]
    # the generated letters reached the signers as PDFs
    docs = [d for d in env.fake.documents(KADIS) if d.get("filename", "").endswith(".pdf")]
    assert any(d["data"].startswith(b"%PDF") for d in docs), docs


def test_return_at_step_one_closes_and_tells_the_applicant(env):
    bot, chat = start(env)
    chat.register_applicant()
    chat.submit()
    chat.press(KADIS, r"^c:\d+:\d+:return$")
    chat.wait_text(KADIS, "alasan pengembalian")
    chat.send(KADIS, "Lampiran SK belum ada")
    text = chat.wait_text(APPLICANT, "dikembalikan")
    assert "Lampiran SK belum ada" in text, text
    assert db_rows(bot, "SELECT state FROM cases") == [("closed_dikembalikan",)]
    assert not find_button(env.fake, KABID, r"^c:"), "the Kabid must not get the case"


def test_incomplete_reply_from_bsre_loops_back_to_step_three(env):
    bot, chat = start(env)
    chat.register_applicant()
    chat.submit()
    chat.dispose(KADIS)
    chat.dispose(KABID)
    chat.step3()
    chat.step4()
    chat.step5(outcome="incomplete", note="SK pengangkatan tidak terbaca")
    chat.wait_text(APPLICANT, "belum lengkap")
    assert db_rows(bot, "SELECT state, checklist_complete FROM cases") == [("s3_verifikasi_kasi", 0)]
    # the documents did not change: the Kasi's ticks survive the return
    assert db_rows(bot, "SELECT count(*) FROM checklist WHERE status = 'ok'") == [(6,)]
    # the Kasi has a fresh card and can go round again
    chat.step3()
    chat.step4()
    chat.step5()
    assert db_rows(bot, "SELECT state FROM cases") == [("s6_surat_kasi",)]


def test_wrong_role_stale_and_double_taps_change_nothing(env):
    bot, chat = start(env)
    chat.register_applicant()
    chat.submit()
    chat.open_sheet(KADIS)
    chat.press(KADIS, r"^d:\d+:\d+:i0$")
    message_id, data = chat.wait_button(KADIS, r"^c:\d+:\d+:dispose$")
    # the Kasi presses the Kadis's button (forged into their chat)
    refusal = chat.tap(KASI, data)
    assert "bukan untuk Anda" in refusal, refusal
    assert db_rows(bot, "SELECT state, version FROM cases") == [("s1_disposisi_kadis", 1)]
    # the Kadis taps twice: the second tap is stale and says who did it
    first = chat.tap(KADIS, data, message_id=message_id)
    second = chat.tap(KADIS, data, message_id=message_id)
    assert "Tercatat" in first, first
    assert "sudah bergerak" in second and "Didisposisikan" in second, second
    assert db_rows(bot, "SELECT state, version FROM cases") == [("s2_disposisi_kabid", 2)]
    assert db_rows(bot, "SELECT count(*) FROM audit WHERE event = 'dispose'") == [(1,)]
    # forged presses: a case that does not exist, an action of another step
    assert "tidak berlaku" in chat.tap(KADIS, "c:999:1:dispose")
    assert "sudah bergerak" in chat.tap(KADIS, "c:1:2:sign")  # not an action of step 2
    assert "tidak berlaku" in chat.tap(KADIS, "c:1:2:dispose:x:y:z" + "9" * 60)
    assert db_rows(bot, "SELECT state, version FROM cases") == [("s2_disposisi_kabid", 2)]


def test_plh_gets_the_waiting_card_and_is_recorded(env):
    bot, chat = start(env)
    chat.register_applicant()
    chat.submit()
    chat.wait_button(KADIS, r"^c:\d+:\d+:dispose$")
    # the Kadis is away: the Kabid acts as Plh Kadis for two days
    chat.send(KADIS, "/plh kadis %d 2026-11-30 2026-12-01" % KABID)
    chat.wait_text(KABID, "Plh")
    chat.open_sheet(KABID)
    chat.press(KABID, r"^d:\d+:\d+:i2$")
    chat.press(KABID, r"^c:\d+:\d+:dispose$")
    rows = db_rows(bot, "SELECT acted_as, via_plh, actor_id FROM audit WHERE event = 'dispose'")
    assert rows == [("kadis", 1, KABID)], rows
    # the card that reached the Kabid for step 2 says who dispositioned, as Plh
    message_id, data = chat.wait_button(KABID, r"^c:\d+:2:dispose$")
    assert "Plh" in env.fake.sent_messages(KABID)[-1]["text"]


def test_user_text_with_markup_is_shown_literally(env):
    bot, chat = start(env)
    chat.register_applicant()
    chat.submit(subject="Sertifikat <b>tebal</b> & tipis")
    card = chat.wait_text(KADIS, "Sertifikat <b>tebal</b> & tipis")
    assert "<b>tebal</b>" in card
    html = [m["html"] for m in env.fake.sent_messages(KADIS) if "tebal" in m["text"]][-1]
    assert "&lt;b&gt;tebal&lt;/b&gt; &amp; tipis" in html, html
    holders = [r[0] for r in db_rows(bot, "SELECT name FROM case_holders ORDER BY position")]
    assert holders[1] == "Budi <b>Santoso</b> & Co", holders


def test_intake_explains_bad_answers_and_keeps_the_good_ones(env):
    bot, chat = start(env)
    chat.register_applicant()
    chat.send(APPLICANT, "/ajukan")
    chat.send(APPLICANT, "ini bukan file")
    chat.wait_text(APPLICANT, "PDF atau foto")
    chat.send_file(APPLICANT, b"%PDF-1.4", "s.pdf", "application/pdf")
    chat.send(APPLICANT, "800/1")
    chat.send(APPLICANT, "31-02-2026")
    chat.wait_text(APPLICANT, "belum dapat saya baca")
    chat.send(APPLICANT, "20-11-2026")
    chat.send(APPLICANT, "Perihal")
    chat.wait_text(APPLICANT, "pemegang sertifikat")
    chat.send(APPLICANT, "Satu; 123; Staf; satu@x.go.id\nDua; 199002022015031002; Staf; dua@x.go.id")
    bad = chat.wait_text(APPLICANT, "Baris 1")
    assert "18 angka" in bad, bad
    chat.wait_text(APPLICANT, "Tercatat: 1 orang")
    chat.send(APPLICANT, "/batal")
    chat.wait_text(APPLICANT, "dibatalkan")
    assert db_rows(bot, "SELECT count(*) FROM cases") == [(0,)]
    assert db_rows(bot, "SELECT count(*) FROM conversations") == [(0,)]


def test_a_holder_who_blocks_the_bot_is_reported_and_files_are_kept(env):
    bot, chat = start(env)
    chat.register_applicant()
    chat.submit()
    chat.dispose(KADIS)
    chat.wait_button(KABID, r"^c:\d+:\d+:dispose$")
    env.fake.block(KABID)
    env.fake.push_my_chat_member(KABID, "kicked")
    alert = chat.wait_text(KADIS, "tidak dapat dihubungi")
    assert "SE-0001" in alert and "Kabid Standi" in alert, alert
    chat.wait_text(ADMIN, "tidak dapat dihubungi")
    assert db_rows(bot, "SELECT reachable FROM users WHERE telegram_id = ?", KABID) == [(0,)]
    # the request letter was copied from Telegram into documents_dir
    chat.fake.wait_for(lambda f: db_rows(bot, "SELECT local_path FROM case_files "
                                         "WHERE kind = 'request_letter'")[0][0],
                       what="the letter's copy")
    path = db_rows(bot, "SELECT local_path FROM case_files WHERE kind = 'request_letter'")[0][0]
    full = os.path.join(bot.workdir, path)
    with open(full, "rb") as f:
        assert f.read() == LETTER_PDF
    assert stat.S_IMODE(os.stat(os.path.dirname(full)).st_mode) == 0o700


def test_status_tasks_and_the_buku_agenda(env):
    bot, chat = start(env)
    chat.register_applicant()
    number = chat.submit()
    chat.dispose(KADIS)
    # the applicant: a list, and one case's timeline without internal notes
    chat.send(APPLICANT, "/status")
    listing = chat.wait_text(APPLICANT, "Permohonan Perangkat Daerah Anda")
    assert number in listing and "Disposisi Kabid" in listing and "tenggat" in listing, listing
    chat.send(APPLICANT, "/status " + number.lower())
    timeline = chat.wait_text(APPLICANT, "Posisi sekarang")
    assert "Didisposisikan ke Kabid" in timeline, timeline
    chat.send(APPLICANT, "/status SE-0099")
    chat.wait_text(APPLICANT, "Tidak ada permohonan “SE-0099”")
    # the Kabid's tasks, with a button that sends the card again
    chat.send(KABID, "/tugas")
    tasks = chat.wait_text(KABID, "Menunggu tindakan Anda")
    assert number in tasks, tasks
    chat.send(KADIS, "/tugas")
    chat.wait_text(KADIS, "Tidak ada permohonan yang menunggu Anda")
    before = len(env.fake.sent_messages(KABID))
    chat.press(KABID, r"^t:1$")
    env.fake.wait_for(lambda f: len(f.sent_messages(KABID)) > before, what="the card again")
    assert find_button(env.fake, KABID, r"^c:1:2:dispose$")
    # the Buku Agenda of the month, as CSV
    chat.send(KASI, "/agenda 2026-11")
    doc = env.fake.wait_for(lambda f: [d for d in f.documents(KASI) if d["filename"].endswith(".csv")],
                            what="the agenda CSV")[-1]
    lines = doc["data"].decode("utf-8-sig").splitlines()
    assert '"0001/2026"' in lines[1] and "Dinas Kesehatan" in lines[1], lines
    # no letter was signed yet: the surat keluar part has its header only
    assert lines[2:] == ["", '"Surat keluar"',
                         '"Nomor surat","Tanggal surat","Jenis","Kepada","Hal","Nomor permohonan",'
                         '"Penanda tangan"'], lines
    chat.send(APPLICANT, "/agenda")
    chat.wait_text(APPLICANT, "bukan untuk peran Anda")
    # the disposition sheet, printed from an official's view of the case
    chat.send(KASI, "/status " + number)
    chat.press(KASI, r"^sheet:1$")
    sheet = env.fake.wait_for(lambda f: [d for d in f.documents(KASI)
                                         if d["filename"].startswith("lembar-disposisi")],
                              what="the disposition sheet")[-1]
    assert sheet["data"].startswith(b"%PDF"), sheet["filename"]


def test_unregistered_person_sees_no_case_data(env):
    bot, chat = start(env)
    chat.register_applicant()
    chat.submit()
    stranger = 4242
    chat.send(stranger, "/status")
    chat.send(stranger, "/ajukan")
    env.fake.wait_for(lambda f: len(f.sent_messages(stranger)) >= 2, what="two answers")
    for text in chat.texts(stranger):
        assert "SE-0001" not in text and "bukan untuk peran Anda" in text, text


if __name__ == "__main__":
    run_tests(globals())
