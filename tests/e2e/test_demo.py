"""README command one without a token: the demo (scripts/demo.py) walks one
request through the whole SOP against the fake Telegram, with the e-mail to
BSrE and BSrE's reply through real local mail servers (installed by
scripts/deps.sh). This runs it as a new user would and reads what it prints."""

import os
import subprocess
import sys

import harness
from harness import run_tests

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_demo_walks_one_request_with_mail_both_ways(env):
    del env  # the demo starts its own fake Telegram and servers
    run = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "demo.py"),
                          "--bot", harness.BOT], capture_output=True, text=True, timeout=400)
    out = run.stdout
    assert run.returncode == 0, out[-3000:] + run.stderr[-3000:]
    assert "local SMTP server" in out and "local IMAP server (Dovecot)" in out, out[:600]
    # The SMTP server got the recommendation, tagged, with attachments.
    assert "The SMTP server received, for layanan.bsre@bssn.go.id" in out, out[-3000:]
    assert "| Subject: [SE-0001] Rekomendasi Penerbitan Sertifikat Elektronik" in out
    # BSrE's reply came back by IMAP and the Pelaksana decided it from its card.
    assert "Balasan e-mail BSrE untuk SE-0001" in out, out
    assert "Lampiran: Tanda Terima BSrE.pdf" in out, out
    assert "[taps ib:o:1:accepted]" in out, out
    assert "Request SE-0001 went through all seven steps and is closed." in out
    assert "sertibot stopped on SIGTERM with exit code 0" in out


if __name__ == "__main__":
    run_tests(globals())
