"""A Rahasia (confidential) case keeps its subject and its holders' names to
those whose case it is to read: the operator who submitted it and the
officials, each in their private chat. The agency's other operators, a group
chat, the session's calendar file and its reminders get the case without
them; a case that is not Rahasia still shows them to everyone."""

import re

from harness import APPLICANT, KABID, KADIS, KASI, PELAKSANA, run_tests
from sop import LETTER_PDF, MONDAY_0900, Chat, current_messages
from test_schedule import at, calendar_files, quiet, reminders, wait_calendar_files

OTHER = 2002          # a second operator of the same agency
GROUP = -4242         # a group chat of the agency, where the submitter asks too
SECRET = "Sertifikat untuk tim audit investigasi"
PLAIN = "Sertifikat untuk pelayanan perizinan"
NAMES = ("Rina Wati", "Santoso")
WITHHELD = "(perihal dirahasiakan)"


def start(env):
    bot = env.bot(clock=MONDAY_0900).start().wait_polling()
    chat = Chat(env.fake, bot)
    chat.register_applicant()
    chat.register_applicant(user=OTHER)
    return bot, chat


def dispose_rahasia(chat):
    """The Kadis marks the case Rahasia on the sheet and forwards it."""
    chat.open_sheet(KADIS)
    chat.press(KADIS, r"^d:\d+:\d+:r$")
    chat.press(KADIS, r"^c:\d+:\d+:dispose$")


def newest_text(chat, user):
    return chat.texts(user)[-1]


def status(chat, user, args=""):
    chat.send(user, ("/status " + args).strip())
    return newest_text(chat, user)


def group_status(chat, user, args=""):
    chat.fake.push_group_message(GROUP, user, ("/status " + args).strip())
    chat.settle()
    return [m["text"] for _, m in sorted(current_messages(chat.fake, GROUP).items())][-1]


def assert_withheld(text, what):
    assert SECRET not in text, (what, text)
    for name in NAMES:
        assert name not in text, (what, name, text)


def unfolded(ics):
    """The .ics as text with its folded lines joined (RFC 5545, 3.1)."""
    return ics.decode("utf-8").replace("\r\n ", "")


def test_other_operators_and_groups_see_a_rahasia_case_without_subject_or_holders(env):
    bot, chat = start(env)
    secret = chat.submit(subject=SECRET)
    dispose_rahasia(chat)
    plain = chat.submit(subject=PLAIN)
    chat.dispose(KADIS)

    # The other operator lists both, the Rahasia one without its subject.
    listing = status(chat, OTHER)
    assert secret in listing and plain in listing, listing
    assert PLAIN in listing, "a case that is not Rahasia keeps its subject: %s" % listing
    assert WITHHELD in listing, listing
    assert_withheld(listing, "the other operator's /status")
    # ... and its timeline has neither the subject nor the holders.
    timeline = status(chat, OTHER, secret)
    assert secret in timeline and WITHHELD in timeline, timeline
    assert_withheld(timeline, "the other operator's /status %s" % secret)
    assert PLAIN in status(chat, OTHER, plain)

    # The submitter, in their private chat, reads everything.
    own = status(chat, APPLICANT)
    assert SECRET in own and PLAIN in own and WITHHELD not in own, own
    assert SECRET in status(chat, APPLICANT, secret)

    # In a group several people read: not even the submitter's /status shows it.
    in_group = group_status(chat, APPLICANT)
    assert secret in in_group and PLAIN in in_group and WITHHELD in in_group, in_group
    assert_withheld(in_group, "/status in a group")
    assert_withheld(group_status(chat, APPLICANT, secret), "/status %s in a group" % secret)

    # The officials handling it still read the subject on their cards.
    kabid = [t for t in chat.texts(KABID) if secret in t]
    assert kabid and SECRET in kabid[-1], kabid


def to_step3_rahasia(chat, rahasia):
    number = chat.submit(subject=SECRET)
    if rahasia:
        dispose_rahasia(chat)
    else:
        chat.dispose(KADIS)
    chat.dispose(KABID)
    return number


def test_the_documents_asked_for_name_holders_only_to_the_submitter(env):
    bot, chat = start(env)
    number = to_step3_rahasia(chat, rahasia=True)
    chat.press(KASI, r"^c:\d+:\d+:request_documents$")
    chat.send(KASI, "SK Rina Wati belum dilegalisasi")
    for user in (APPLICANT, OTHER):
        chat.wait_button(user, r"^c:\d+:\d+:documents_provided$")
    own = [t for t in chat.texts(APPLICANT) if number in t]
    assert any("SK Rina Wati belum dilegalisasi" in t for t in own), own
    assert any(SECRET in t for t in own), "the submitter's card names the subject: %s" % own
    # (the news of its arrival came before the Kadis made it Rahasia)
    others = [t for t in chat.texts(OTHER) if number in t and "sudah kami terima" not in t]
    assert others, chat.texts(OTHER)
    for text in others:
        assert_withheld(text, "a message to the other operator")
    assert any("catatan dirahasiakan" in t for t in others), others
    # the other operator still sends the documents and says so
    chat.send_file(OTHER, LETTER_PDF, "sk-rina.pdf", "application/pdf")
    chat.press(OTHER, r"^c:\d+:\d+:documents_provided$")
    chat.wait_button(KASI, r"^c:\d+:\d+:set_checklist_complete$")


def to_session(chat, rahasia):
    """A case of the submitter, taken to a confirmed session on Thursday
    3 December 09:00 (the applicant's first choice)."""
    number = to_step3_rahasia(chat, rahasia)
    chat.step3()
    chat.step4()
    chat.step5()
    chat.step6(slots=("2026-12-03 09:00", "2026-12-03 13:00"))
    for person in (APPLICANT, OTHER, PELAKSANA, KASI):
        wait_calendar_files(chat.fake, person, 1)
    return number


def test_a_rahasia_session_invitation_and_its_reminders_name_no_subject_or_holder(env):
    bot, chat = start(env)
    number = to_session(chat, rahasia=True)
    for person in (APPLICANT, OTHER, PELAKSANA, KASI):
        ics = unfolded(calendar_files(chat.fake, person)[-1]["data"])
        assert number in ics, ics
        assert_withheld(ics, "the calendar file to %d" % person)
        assert "Pemegang sertifikat: 2 orang (nama dirahasiakan)" in ics, ics
        assert "ATTENDEE" in ics and "Pelaksana Satu" in ics, ics
        assert not re.search(r"ATTENDEE[^\n]*mailto:(rina|budi)@", ics), ics
    # the signed notification names the subject and the holders: the
    # submitter gets the letter, the other operator its milestone only
    assert [d for d in chat.fake.documents(APPLICANT) if d["filename"].startswith("notification-")]
    assert not [d for d in chat.fake.documents(OTHER) if d["filename"].endswith(".pdf")]
    assert any("surat pemberitahuannya dikirim kepada operator yang mengajukan" in t
               for t in chat.texts(OTHER)), chat.texts(OTHER)
    # nor does "Lihat surat" send the other operator the letters
    before = len(chat.fake.documents(OTHER))
    answer = chat.tap(OTHER, "f:%d" % int(number.split("-")[1]))
    assert "bersifat Rahasia" in answer, answer
    quiet(0.5)
    assert len(chat.fake.documents(OTHER)) == before
    # the session's own reminders, the day before and an hour before
    bot.set_clock(at(2, 7, 30))
    for person in (APPLICANT, OTHER, PELAKSANA):
        text = chat.fake.wait_for(lambda f: reminders(f, person, "Pengingat jadwal"),
                                  timeout=20, what="the day-before reminder")[-1]
        assert number in text, text
        assert_withheld(text, "the day-before reminder to %d" % person)
    bot.set_clock(at(3, 8, 0))
    for person in (APPLICANT, OTHER, PELAKSANA):
        text = chat.fake.wait_for(lambda f: reminders(f, person, "Satu jam lagi"),
                                  timeout=20, what="the hour-before reminder")[-1]
        assert_withheld(text, "the hour-before reminder to %d" % person)
    # Nothing the other operator got after the Kadis marked it names them:
    # the news of each milestone, the offer's card, the session's news.
    told = [t for t in chat.texts(OTHER) if "sudah kami terima" not in t]
    assert any("Pilih satu pada kartu" in t for t in told), told
    assert any(WITHHELD in t for t in told), "the offer's card, without the subject: %s" % told
    for text in told:
        assert_withheld(text, "a message to the other operator")


def test_a_session_that_is_not_rahasia_still_names_its_subject_and_holders(env):
    bot, chat = start(env)
    number = to_session(chat, rahasia=False)
    quiet(0.5)
    ics = unfolded(calendar_files(chat.fake, OTHER)[-1]["data"])
    assert number in ics and SECRET in ics, ics
    assert "Rina Wati" in ics and "mailto:rina@" in ics, ics
    assert "dirahasiakan" not in ics, ics
    assert SECRET in status(chat, OTHER), "not Rahasia: the other operator reads the subject"
    assert [d for d in chat.fake.documents(OTHER) if d["filename"].startswith("notification-")]


if __name__ == "__main__":
    run_tests(globals())
