"""The letters through the real binary: the draft says "draf" where the
number goes; when the Kadis signs, the letter gets the next number of its
kind, is recorded as a surat keluar (in the database and in /agenda's CSV),
and the numbered letter, with the configured kop and signature details, goes
to the signer and to whom it concerns next."""

import os
import subprocess
import sys

from harness import APPLICANT, KABID, KADIS, KASI, PELAKSANA, db_rows, run_tests
from sop import MONDAY_0900, Chat, letter_config

HERE = os.path.dirname(os.path.abspath(__file__))
EMBLEM_SCRIPT = os.path.join(HERE, "..", "..", "scripts", "make_placeholder_emblem.py")


def pdf_text(data, workdir):
    path = os.path.join(workdir, "letter-%d.pdf" % len(os.listdir(workdir)))
    with open(path, "wb") as f:
        f.write(data)
    text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", path, "-"],
                          check=True, capture_output=True).stdout.decode("utf-8")
    return " ".join(text.split())


def poppler_rows(tool, data, workdir):
    """The rows `tool` (pdffonts, pdfimages -list) prints for the PDF, without
    its two header lines."""
    path = os.path.join(workdir, "tool-%d.pdf" % len(os.listdir(workdir)))
    with open(path, "wb") as f:
        f.write(data)
    out = subprocess.run(tool + [path], check=True, capture_output=True).stdout.decode()
    return out.splitlines()[2:]


def config(workdir):
    emblem = os.path.join(workdir, "lambang.png")
    subprocess.run([sys.executable, EMBLEM_SCRIPT, emblem], check=True)
    return letter_config(emblem, address="Jalan Contoh Nomor 1, Bekasi",
                         classification={"recommendation": "000.6.1", "notification": "000.6.2"})


def start_to_step4(env):
    """A bot with the letters configured, and a case the Kasi has forwarded
    to the Pelaksana (step 4); returns (bot, chat, case number)."""
    bot = env.bot(clock=MONDAY_0900, config_overrides=config(env.tmp.name))
    bot.start().wait_polling()
    chat = Chat(env.fake, bot)
    chat.register_applicant()
    number = chat.submit()
    chat.dispose(KADIS)
    chat.dispose(KABID)
    chat.step3()
    return bot, chat, number


def wait_pdf(env, chat_id, prefix, what):
    return env.fake.wait_for(lambda f: [d for d in f.documents(chat_id)
                                        if d["filename"].startswith(prefix)],
                             what=what)[-1]


def test_signing_numbers_records_and_sends_the_letters(env):
    bot, chat, number = start_to_step4(env)
    work = os.path.join(env.tmp.name, "pdf")
    os.makedirs(work)
    chat.press(PELAKSANA, r"^c:\d+:\d+:confirm_files$")
    chat.press(PELAKSANA, r"^c:\d+:\d+:confirm_draft$")
    chat.press(PELAKSANA, r"^c:\d+:\d+:ask_signature$")

    # The Kadis signs the draft, which has no number yet.
    draft = wait_pdf(env, KADIS, "draft-" + number, "the draft on the signing card")
    text = pdf_text(draft["data"], work)
    assert "000.6.1/draf/Diskominfostandi" in text, text
    assert "Jalan Contoh Nomor 1, Bekasi" in text, text
    assert db_rows(bot, "SELECT count(*) FROM outgoing_letters") == [(0,)]
    chat.press(KADIS, r"^c:\d+:\d+:sign$")

    # The numbered letter reaches the Pelaksana (who sends it to BSrE) and the Kadis.
    for reader in (PELAKSANA, KADIS):
        signed = wait_pdf(env, reader, "recommendation-" + number, "the numbered letter")
        text = pdf_text(signed["data"], work)
        assert "Nomor : 000.6.1/1/Diskominfostandi" in text, text
        assert "draf" not in text, text
        assert "Dr. Contoh Nama Kadis, S.Kom., M.Si. Pembina Utama Muda (IV/c) " \
               "NIP. 19700101 199003 1 002" in text, text
        assert "000.6.1/1/Diskominfostandi" in signed["caption"], signed["caption"]
        # the configured emblem is drawn, and every font is embedded
        images = poppler_rows(["pdfimages", "-list"], signed["data"], work)
        assert [row.split()[2] for row in images if row.split()[2] == "image"] == ["image"], images
        fonts = poppler_rows(["pdffonts"], signed["data"], work)
        assert fonts and all(row.split()[-5] == "yes" for row in fonts), fonts
    assert db_rows(bot, "SELECT kind, year, seq, number, letter_date, signer_id, via_plh "
                        "FROM outgoing_letters") == [
        ("recommendation", 2026, 1, "000.6.1/1/Diskominfostandi", "2026-11-30", KADIS, 0)]

    # The Buku Agenda of the month lists it as a surat keluar.
    chat.send(KASI, "/agenda 2026-11")
    agenda = wait_pdf(env, KASI, "buku-agenda", "the agenda CSV")
    lines = agenda["data"].decode("utf-8-sig").splitlines()
    assert '"0001/2026"' in lines[1], lines
    assert lines[2] == "" and "Surat keluar" in lines[3], lines
    assert "000.6.1/1/Diskominfostandi" in lines[5] and number in lines[5], lines
    assert "Balai Sertifikasi Elektronik" in lines[5] and "2026-11-30" in lines[5], lines

    # On through BSrE to the notification, numbered in its own sequence and
    # sent to the applicant agency it is addressed to.
    chat.press(PELAKSANA, r"^c:\d+:\d+:upload_signed$")
    chat.send_file(PELAKSANA, b"%PDF-1.4 signed", "rekomendasi-ttd.pdf", "application/pdf")
    chat.press(PELAKSANA, r"^c:\d+:\d+:sent_to_bsre$")
    chat.step5()
    chat.press(KASI, r"^c:\d+:\d+:ask_signature$")
    chat.press(KADIS, r"^c:\d+:\d+:sign$")
    letter = wait_pdf(env, APPLICANT, "notification-" + number, "the notification")
    text = pdf_text(letter["data"], work)
    assert "Nomor : 000.6.2/1/Diskominfostandi" in text, text
    assert "Kepala Dinas Kesehatan" in text, text
    assert db_rows(bot, "SELECT kind, seq, number FROM outgoing_letters ORDER BY id") == [
        ("recommendation", 1, "000.6.1/1/Diskominfostandi"),
        ("notification", 1, "000.6.2/1/Diskominfostandi")]


def test_render_letter_writes_the_signed_letter(env):
    bot, chat, number = start_to_step4(env)
    out = os.path.join(env.tmp.name, "x.pdf")
    cmd = [bot_binary(), "render-letter", "--case", number, "--kind", "recommendation",
           "--out", out, "--config", bot.config_path]
    envvars = dict(os.environ, SERTIBOT_CLOCK_FILE=bot.clock_path)
    subprocess.run(cmd, check=True, env=envvars)
    with open(out, "rb") as f:
        assert "000.6.1/draf/Diskominfostandi" in pdf_text(f.read(), env.tmp.name)
    chat.step4()
    subprocess.run(cmd, check=True, env=envvars)
    with open(out, "rb") as f:
        assert "000.6.1/1/Diskominfostandi" in pdf_text(f.read(), env.tmp.name)
    bad = subprocess.run(cmd[:4] + ["--kind", "letter", "--out", out], env=envvars,
                         capture_output=True)
    assert bad.returncode == 2, bad


def bot_binary():
    import harness
    return harness.BOT


if __name__ == "__main__":
    run_tests(globals())
