"""A real OpenID provider for the suite: tests/oidc/provider.mjs (the `oidc-provider` npm package), configured as
EU Login is, on a free port of 127.0.0.1, with the people a test gives it.

`make install-test` installs it (npm ci in tests/oidc). A quirk on a person makes the provider misbehave for their
tokens (a wrong issuer or audience, an expired token, another key...): see provider.mjs.
"""

import json
import os
import secrets
import subprocess
from pathlib import Path

from tests.processes import free_port

HERE = Path(__file__).resolve().parent / "oidc"
CALLBACK = "/accounts/oidc/eulogin/login/callback/"


class OIDCProvider:
    def __init__(self, *, base_url, log_dir, auth_method="client_secret_jwt"):
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.client_id = "5g-risk-portal"
        self.secret = secrets.token_urlsafe(48)
        self.auth_method = auth_method
        self.accounts_path = Path(log_dir) / f"accounts-{self.port}.json"
        self.log_path = Path(log_dir) / f"oidc-{self.port}.log"
        self.base_url = base_url
        self.people({})
        self.proc = None

    def start(self):
        env = {**os.environ, "PORT": str(self.port), "CLIENT_ID": self.client_id, "CLIENT_SECRET": self.secret,
               "AUTH_METHOD": self.auth_method, "REDIRECT_URIS": self.base_url + CALLBACK,
               "POST_LOGOUT_URIS": self.base_url + "/accounts/login/", "ACCOUNTS": str(self.accounts_path)}
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(["node", "provider.mjs"], cwd=HERE, env=env, stdout=subprocess.PIPE,
                                     stderr=self.log, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("ready"):
            self.stop()
            raise RuntimeError(f"the OpenID provider did not start:\n{self.log_path.read_text()}")
        return self

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        if self.proc:
            self.log.close()

    def people(self, accounts):
        """Who EU Login knows, by subject: {"sub": {"password", "email", "acr", "quirk", ...}}."""
        self.accounts_path.write_text(json.dumps(accounts))

    def configure(self, settings, **overrides):
        """The portal's settings pointed at this provider (pytest-django's `settings`: undone after the test)."""
        settings.EU_LOGIN_ISSUER = self.issuer
        settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {
            **settings.SOCIALACCOUNT_PROVIDERS["openid_connect"],
            "APPS": [{"provider_id": "eulogin", "name": "EU Login", "client_id": self.client_id,
                      "secret": overrides.get("secret", self.secret), "settings": {
                          "server_url": self.issuer, "token_auth_method": self.auth_method,
                          "fetch_userinfo": False, "scope": ["openid", "email", "profile"]}}],
        }}
