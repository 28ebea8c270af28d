"""A certificate holder's official e-mail is checked when the applicant enters
it at /ajukan: its syntax, and the agency's domains when the config lists
agencies[].email_domains (a subdomain counts; another agency without domains
takes any valid address)."""

from harness import APPLICANT, db_rows, run_tests
from sop import MONDAY_0900, Chat

AGENCIES = [{"name": "Dinas Kesehatan", "email_domains": ["bekasikota.go.id", "dinkes.example.id"]},
            "Dinas Pendidikan"]
GOOD = "Rina Wati; 198501012010012001; Kepala Seksi; rina@dinkes.bekasikota.go.id"
OTHER_DOMAIN = "Budi Santoso; 199002022015031002; Analis; budi.santoso@gmail.com"
LOOK_ALIKE = "Sari Dewi; 199103032016032003; Analis; sari@evilbekasikota.go.id"
BAD_SYNTAX = "Ani; 199204042017042004; Staf; ani@@bekasikota.go.id"


def start(env):
    bot = env.bot(clock=MONDAY_0900, config_overrides={"agencies": AGENCIES}).start().wait_polling()
    chat = Chat(env.fake, bot)
    chat.register_applicant(agency_pattern=r"^reg:\d+$")
    return bot, chat


def test_holder_email_outside_the_agency_domains_is_refused_politely(env):
    bot, chat = start(env)
    agency = env_rows(bot, "SELECT a.name FROM applicants o JOIN agencies a ON a.id = o.agency_id")
    assert agency == [("Dinas Kesehatan",)], agency
    chat.intake_to_holders()
    before = len(chat.texts(APPLICANT))
    chat.send(APPLICANT, "\n".join([GOOD, OTHER_DOMAIN, LOOK_ALIKE, BAD_SYNTAX]))
    answers = "\n".join(chat.texts(APPLICANT)[before:])
    assert "Baris 2 belum disimpan" in answers, answers
    assert "Baris 3 belum disimpan" in answers, answers
    assert "@bekasikota.go.id, @dinkes.example.id" in answers, answers
    assert "Baris 4 belum disimpan" in answers and "Alamat email tidak valid" in answers, answers
    assert "Baris 1 belum disimpan" not in answers, answers
    drafts = env_rows(bot, "SELECT data FROM conversations")
    assert any("rina@dinkes.bekasikota.go.id" in d[0] for d in drafts), drafts
    assert not any("gmail.com" in d[0] or "evilbekasikota" in d[0] for d in drafts), drafts


def env_rows(bot, sql):
    return db_rows(bot, sql)


if __name__ == "__main__":
    run_tests(globals())
