"""A real SMTP server on 127.0.0.1 for the end-to-end tests of sending mail:
Debian's python3-aiosmtpd, with STARTTLS required before AUTH (PLAIN/LOGIN
against one user and password), a self-signed certificate made with the openssl
CLI (dovecot.make_certificate), and every accepted message stored as received.

Faults on demand: `replies` is a list of SMTP replies given, one each, to the
next DATA commands instead of 250 (e.g. "451 4.3.0 Try again later" or
"550 5.7.1 Rejected"); `stop()` and `start()` take the server away and bring
it back on the same port (the bot sees "connection refused" meanwhile);
`refuse_login` makes AUTH fail (535)."""

import email
import email.policy
import os
import ssl
import threading
import time
import logging

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from dovecot import free_port, make_certificate  # the same self-signed certificate recipe

# aiosmtpd 1.4 logs a warning about its own use of a deprecated attribute on
# each AUTH; the tests' and the demo's output is clearer without it.
logging.getLogger("mail.log").setLevel(logging.ERROR)


class Received:
    def __init__(self, mail_from, rcpt_tos, data):
        self.mail_from = mail_from
        self.rcpt_tos = list(rcpt_tos)
        self.data = data
        self.message = email.message_from_bytes(data, policy=email.policy.default)

    def attachments(self):
        """[(file name, content type, bytes)] in order."""
        return [(part.get_filename(), part.get_content_type(), part.get_payload(decode=True))
                for part in self.message.iter_attachments()]

    def text(self):
        return self.message.get_body(preferencelist=("plain",)).get_content()


class _Handler:
    def __init__(self, sink):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        with self.sink.lock:
            self.sink.data_commands += 1
            if self.sink.replies:
                return self.sink.replies.pop(0)
            self.sink.received.append(Received(envelope.mail_from, envelope.rcpt_tos,
                                               envelope.original_content or envelope.content))
        return "250 2.0.0 OK queued as %d" % len(self.sink.received)


class SmtpSink:
    def __init__(self, directory, username="sertibot@bekasikota.go.id",
                 password="rahasia-SMTP-77"):
        self.directory = directory
        self.username = username
        self.password = password
        self.cert, self.key = make_certificate(directory)
        self.port = free_port()
        self.replies = []
        self.received = []
        self.data_commands = 0
        self.logins = 0
        self.refuse_login = False
        self.lock = threading.Lock()
        self.controller = None

    @property
    def url(self):
        return "smtp://127.0.0.1:%d" % self.port

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and not self.refuse_login
              and auth_data.login.decode() == self.username
              and auth_data.password.decode() == self.password)
        if ok:
            with self.lock:
                self.logins += 1
        return AuthResult(success=ok)

    def start(self):
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        self.controller = Controller(
            _Handler(self), hostname="127.0.0.1", port=self.port, tls_context=context,
            require_starttls=True, authenticator=self._authenticate, auth_require_tls=True,
            auth_exclude_mechanism=["CRAM-MD5"], decode_data=False)
        self.controller.start()
        return self

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None

    def wait_received(self, count, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.received) >= count:
                    return list(self.received)
            time.sleep(0.1)
        raise AssertionError("expected %d message(s) at the SMTP sink, got %d"
                             % (count, len(self.received)))

    def bot_email_config(self, password_file, **extra):
        """The bot's "email" config for this sink (STARTTLS, its certificate)."""
        config = {"smtp_url": self.url, "username": self.username,
                  "password_file": password_file, "ca_file": self.cert,
                  "from": {"address": "persandian@bekasikota.go.id",
                           "name": "Seksi Persandian Diskominfo"}}
        config.update(extra)
        return config


def write_password_file(directory, password, name="smtp-password"):
    path = os.path.join(directory, name)
    with open(path, "w") as f:
        f.write(password + "\n")
    os.chmod(path, 0o600)
    return path
