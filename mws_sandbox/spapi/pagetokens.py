"""searchOrders pagination tokens: opaque, MAC-protected, and always holding `+`, `/` and `=`.

Amazon's tokens are base64-like and clients must encode them exactly once (a double-encoded or
decoded `+` is the classic pagination bug); the sandbox's tokens carry all three characters so that
such a client fails here rather than in production.
"""

import base64
import binascii
import hashlib
import hmac
import json
import os

from .errors import invalid_input

_MARKER = b"\xfb\xef\xff"  # encodes as "++//"
_MAC_BYTES = 12


class PageTokens:
    def __init__(self, key=None):
        self._key = key or os.urandom(32)

    def encode(self, payload):
        body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode("utf-8")
        if (len(_MARKER) + _MAC_BYTES + len(body)) % 3 == 0:
            body += b" "  # base64 of a length not divisible by 3 ends in "="
        mac = hmac.new(self._key, body, hashlib.sha256).digest()[:_MAC_BYTES]
        return base64.b64encode(_MARKER + mac + body).decode("ascii")

    def decode(self, token):
        """The payload of a token this sandbox issued, else 400 naming paginationToken."""
        try:
            raw = base64.b64decode(token.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError, ValueError):
            raise invalid_input("Invalid paginationToken: it is not a token this service issued (was it "
                                "encoded twice, or decoded?)") from None
        start = len(_MARKER) + _MAC_BYTES
        mac, body = raw[len(_MARKER):start], raw[start:]
        expected = hmac.new(self._key, body, hashlib.sha256).digest()[:_MAC_BYTES]
        if not raw.startswith(_MARKER) or not body or not hmac.compare_digest(mac, expected):
            raise invalid_input("Invalid paginationToken: it was not issued by this service or was altered")
        return json.loads(body)
