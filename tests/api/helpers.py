"""A script's view of the API: a client that sends a personal token and JSON, as an authority's tool would."""

import datetime
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from portal.models import ApiToken, TokenScope


def token_for(user, scope=TokenScope.WRITE, days=30, name="tool"):
    _row, token = ApiToken.issue(user=user, name=name, scope=scope,
                                 expires_at=timezone.now() + datetime.timedelta(days=days))
    return token


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


class ApiClient:
    def __init__(self, token):
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def get(self, path, **params):
        return self.client.get(path, params)

    def post(self, path, body=None):
        return self.client.post(path, json.dumps(body or {}), content_type="application/json")

    def upload(self, path, name, content):
        return self.client.post(path, {"file": SimpleUploadedFile(name, content)})

    def patch(self, path, body):
        return self.client.patch(path, json.dumps(body), content_type="application/json")
