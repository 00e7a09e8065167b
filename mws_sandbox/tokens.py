"""NextToken values: opaque base64 that carries the query and the last key served.

Keyset tokens stay valid while orders change: the next page starts after the
last (date, id) served, so nothing is repeated or skipped because an earlier
row moved. A MAC makes edited or garbled tokens fail cleanly with 400.
"""

import base64
import binascii
import hashlib
import hmac
import json
import os

from .apierror import invalid

_MAC_BYTES = 12


class TokenCodec:
    def __init__(self, key=None):
        self._key = key or os.urandom(32)

    def encode(self, kind, payload):
        body = json.dumps({"k": kind, **payload}, separators=(",", ":"), sort_keys=True).encode("utf-8")
        mac = hmac.new(self._key, body, hashlib.sha256).digest()[:_MAC_BYTES]
        return base64.b64encode(mac + body).decode("ascii")

    def decode(self, kind, token):
        """The payload of a token this sandbox issued for `kind`, else 400 InvalidParameterValue."""
        try:
            raw = base64.b64decode(token.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError, ValueError):
            raise invalid("Invalid NextToken: the token is malformed") from None
        mac, body = raw[:_MAC_BYTES], raw[_MAC_BYTES:]
        expected = hmac.new(self._key, body, hashlib.sha256).digest()[:_MAC_BYTES]
        if len(raw) <= _MAC_BYTES or not hmac.compare_digest(mac, expected):
            raise invalid("Invalid NextToken: the token was not issued by this service or was altered")
        payload = json.loads(body)
        if payload.pop("k") != kind:
            raise invalid("Invalid NextToken: the token belongs to another operation")
        return payload
