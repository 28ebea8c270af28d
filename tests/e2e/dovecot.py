"""A real IMAP server for the mail tests: Debian's Dovecot (dovecot-imapd),
run as a private instance in a temporary directory with its own config, never
the system's. It listens on 127.0.0.1 on a free port with IMAPS (a
self-signed certificate made here, whose file the bot trusts through
email.ca_file), authenticates one user from a passwd-file, and keeps that
user's mail in a Maildir the test writes into: a message dropped into new/ is
what a delivery agent would leave there.

Works as an ordinary user (every process runs as that user) and as root,
where Dovecot refuses to run its login and mail processes as root: those then
run as "nobody", which owns the Maildir, and the directory is made traversable
for it."""

import getpass
import grp
import pwd
import os
import shutil
import signal
import socket
import ssl
import subprocess
import time

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_certificate(directory):
    """A self-signed certificate for 127.0.0.1 and localhost; returns (cert, key)."""
    cert = os.path.join(directory, "cert.pem")
    key = os.path.join(directory, "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=localhost", "-keyout", key, "-out", cert,
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.chmod(key, 0o600)
    return cert, key


CONFIG = """\
base_dir = {base}/run
state_dir = {base}/state
log_path = {base}/dovecot.log
info_log_path = {base}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{cert}
ssl_key = <{key}
disable_plaintext_auth = yes
auth_mechanisms = plain login
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {login_user}
first_valid_uid = 0
mail_location = maildir:{base}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {base}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={base}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""


class Dovecot:
    def __init__(self, base, username="sertibot@bekasikota.go.id", password="rahasia-IMAP-42"):
        self.base = base
        self.username = username
        self.password = password
        self.port = free_port()
        self.proc = None
        os.makedirs(base, exist_ok=True)
        for sub in ("run", "state", "home"):
            os.makedirs(os.path.join(base, sub), exist_ok=True)
        self.cert, self.key = make_certificate(base)
        self.maildir = os.path.join(base, "mail", username)
        for sub in ("new", "cur", "tmp"):
            os.makedirs(os.path.join(self.maildir, sub), exist_ok=True)
        with open(os.path.join(base, "passwd"), "w") as f:
            f.write("%s:{PLAIN}%s\n" % (username, password))
        user = getpass.getuser()
        group = grp.getgrgid(os.getgid()).gr_name
        login_user = "nobody" if os.getuid() == 0 else user
        self.mail_uid, self.mail_gid = os.getuid(), os.getgid()
        if os.getuid() == 0:
            nobody = pwd.getpwnam("nobody")
            self.mail_uid, self.mail_gid = nobody.pw_uid, nobody.pw_gid
            os.chmod(base, 0o711)
            for root, dirs, _ in os.walk(os.path.join(base, "mail")):
                os.chown(root, self.mail_uid, self.mail_gid)
            os.chown(os.path.join(base, "home"), self.mail_uid, self.mail_gid)
        self.config_path = os.path.join(base, "dovecot.conf")
        with open(self.config_path, "w") as f:
            f.write(CONFIG.format(base=base, cert=self.cert, key=self.key, user=user, login_user=login_user,
                                  group=group, uid=self.mail_uid, gid=self.mail_gid,
                                  port=self.port))
        self.counter = 0

    @property
    def url(self):
        return "imaps://127.0.0.1:%d/INBOX" % self.port

    def start(self, timeout=15):
        # Its own process group, so stop() ends the login and mail processes
        # too, as a server that goes down does (they outlive the master).
        self.proc = subprocess.Popen([DOVECOT, "-c", self.config_path, "-F"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("dovecot exited: %s\n%s" % (
                    self.proc.stderr.read().decode(errors="replace"), self.log()))
            try:
                self.login_check()
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("dovecot did not answer on port %d\n%s" % (self.port, self.log()))

    def login_check(self):
        """Logs in over IMAPS once (raises OSError while the server is not up)."""
        import imaplib
        context = ssl.create_default_context(cafile=self.cert)
        with imaplib.IMAP4_SSL("127.0.0.1", self.port, ssl_context=context, timeout=5) as imap:
            imap.login(self.username, self.password)
            imap.logout()

    def stop(self):
        if self.proc:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:  # the children, until they are gone
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    break
                time.sleep(0.05)
        if self.proc and self.proc.stderr:
            self.proc.stderr.close()
        self.proc = None

    def log(self):
        try:
            with open(os.path.join(self.base, "dovecot.log"), errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def deliver(self, message_bytes):
        """Drops one message into the Maildir's new/, as a delivery agent does
        (written in tmp/, then renamed)."""
        self.counter += 1
        name = "%d.M%dP%d.sertibot-test" % (int(time.time()), self.counter, os.getpid())
        tmp = os.path.join(self.maildir, "tmp", name)
        with open(tmp, "wb") as f:
            f.write(message_bytes)
        os.chown(tmp, self.mail_uid, self.mail_gid)
        os.rename(tmp, os.path.join(self.maildir, "new", name))
        return name
