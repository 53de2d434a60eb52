"""A real IMAP server for the tests: Debian's Dovecot (dovecot-imapd, installed by `make test`), started
in the foreground with its whole configuration, mail and state in a temporary directory, a throwaway
user and a free port on 127.0.0.1. Nothing of the machine's own Dovecot configuration is read or changed."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
OPENSSL = shutil.which("openssl")  # makes the imaps certificate; without it only plain IMAP is served
USER = "mailbox-test"
PASSWORD = "throwaway-imap-password"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Dovecot:
    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="hs-dovecot-"))
        self.port = free_port()
        self.tls_port = free_port()  # imaps, with a certificate made for the test (self.certificate)
        self.process: subprocess.Popen[bytes] | None = None

    def _users(self) -> tuple[str, str, int, int]:
        """Who runs what: as root, Dovecot's own users (it refuses mail access as root); otherwise us."""
        if os.geteuid() == 0:
            mail = pwd.getpwnam("dovecot")
            return "dovecot", "dovenull", mail.pw_uid, mail.pw_gid
        me = pwd.getpwuid(os.geteuid())
        return me.pw_name, me.pw_name, me.pw_uid, me.pw_gid

    def start(self) -> Dovecot:
        internal, login, uid, gid = self._users()
        self.dir.chmod(0o755)  # Dovecot's own users read the passwd file and write the mail below it
        for name in ("run", "state", "mail", "home"):
            (self.dir / name).mkdir()
        if os.geteuid() == 0:
            for name in ("mail", "home"):
                os.chown(self.dir / name, uid, gid)
        (self.dir / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
        if OPENSSL:
            subprocess.run([OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                            "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                            "-keyout", str(self.dir / "key.pem"), "-out", str(self.certificate)],
                           check=True, capture_output=True, timeout=60)
        tls = f"ssl = yes\nssl_cert = <{self.certificate}\nssl_key = <{self.dir}/key.pem" if OPENSSL else "ssl = no"
        config = self.dir / "dovecot.conf"
        config.write_text(f"""
protocols = imap
listen = 127.0.0.1
base_dir = {self.dir}/run
state_dir = {self.dir}/state
log_path = {self.dir}/dovecot.log
{tls}
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal}
default_login_user = {login}
first_valid_uid = 1
mail_location = maildir:{self.dir}/mail/%u
passdb {{
  driver = passwd-file
  args = {self.dir}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={self.dir}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.tls_port if OPENSSL else 0}
  }}
}}
""")
        self.process = subprocess.Popen([DOVECOT, "-F", "-c", str(config)], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot did not start: {self.process.stderr.read().decode()[-2000:]}"
                                   if self.process.stderr else "dovecot did not start")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("dovecot did not listen within 15 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    @property
    def certificate(self) -> Path:
        return self.dir / "certificate.pem"

    @property
    def url(self) -> str:
        return f"imap://{USER}@127.0.0.1:{self.port}/INBOX"

    @property
    def tls_url(self) -> str:
        return f"imaps://{USER}@localhost:{self.tls_port}/INBOX"
