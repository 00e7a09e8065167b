"""Login with Amazon for the sandbox: the refresh-token grant and the access tokens it hands out.

Amazon's documentation, "Connect to the Selling Partner API": POST /auth/o2/token with grant_type,
refresh_token, client_id and client_secret, form-encoded (Amazon's Java client posts the same fields as
JSON); the answer carries access_token (Atza|...), token_type bearer and expires_in 3600. Errors are
`{"error", "error_description"}`: invalid_client 401, invalid_grant 400 (texts from Amazon's answers
quoted in the selling-partner-api-models issues). The texts of invalid_request and
unsupported_grant_type are not published; the sandbox's are RFC 6749 wording.
"""

import json
import secrets
import threading
from dataclasses import dataclass
from urllib.parse import parse_qsl

from .errors import TOKEN_EXPIRED, TOKEN_INVALID, TOKEN_MISSING
from .tables import ACCESS_TOKEN_LIFETIME

REDACTED = "<redacted>"
SECRET_FIELDS = ("client_secret", "refresh_token", "code")

DEFAULT_CLIENT_ID = "amzn1.application-oa2-client.sandbox00000000000000000000000001"
DEFAULT_CLIENT_SECRET = "amzn1.oa2-cs.v1.sandbox-client-secret-0000000000000000000000000000000"
DEFAULT_REFRESH_TOKEN = "Atzr|sandbox-refresh-token/IwEBI+0000000000000000000000000000000000000"
# A second authorisation of the same app by a seller who did not grant the Orders role (Inventory and
# Order Tracking): its grant succeeds, its access tokens are refused by every operation with 403
# Unauthorized "Access to requested resource is denied." and empty details, as SP-API answers then.
DEFAULT_ROLELESS_REFRESH_TOKEN = "Atzr|sandbox-refresh-token/NO-ORDERS-ROLE+000000000000000000000000000"


@dataclass(frozen=True)
class LwaApp:
    client_id: str = DEFAULT_CLIENT_ID
    client_secret: str = DEFAULT_CLIENT_SECRET
    refresh_token: str = DEFAULT_REFRESH_TOKEN
    roleless_refresh_token: str = DEFAULT_ROLELESS_REFRESH_TOKEN


class GrantError(Exception):
    def __init__(self, status, error, description):
        super().__init__(f"{status} {error}")
        self.status = status
        self.error = error
        self.description = description

    def body(self):
        return {"error_description": self.description, "error": self.error}


def read_form(content_type, body):
    """The token request's fields from a form or JSON body (str values only)."""
    media_type = content_type.split(";")[0].strip().lower()
    try:
        text = body.decode("utf-8")
        if media_type == "application/json":
            fields = json.loads(text or "{}")
            if not isinstance(fields, dict):
                raise ValueError("not an object")
            return {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in fields.items()}
        return dict(parse_qsl(text, keep_blank_values=True))
    except (UnicodeDecodeError, ValueError):
        raise GrantError(400, "invalid_request", "The request body could not be read") from None


def redacted(fields):
    return {k: REDACTED if k in SECRET_FIELDS else v for k, v in fields.items()}


class AccessTokens:
    """Access tokens issued, with their expiry in sandbox time."""

    def __init__(self, clock, app, seller_id, *, lifetime=ACCESS_TOKEN_LIFETIME, time_scale=1.0):
        if lifetime <= 0:
            raise ValueError("token_lifetime must be positive")
        self.clock = clock
        self.app = app
        self.seller_id = seller_id
        self.lifetime = lifetime
        self.time_scale = time_scale
        self._lock = threading.Lock()
        self._expiry_ms = {}
        self._roleless = set()

    def grant(self, fields):
        """The answer body to a token request's fields, or GrantError."""
        grant_type = fields.get("grant_type")
        if not grant_type:
            raise GrantError(400, "invalid_request", "The request is missing a required parameter : grant_type")
        if not (secrets.compare_digest(fields.get("client_id", ""), self.app.client_id)
                and secrets.compare_digest(fields.get("client_secret", ""), self.app.client_secret)):
            raise GrantError(401, "invalid_client", "Client authentication failed")
        if grant_type != "refresh_token":
            raise GrantError(400, "unsupported_grant_type",
                             f"The authorization grant type is not supported : {grant_type}"[:120])
        given = fields.get("refresh_token", "")
        roleless = secrets.compare_digest(given, self.app.roleless_refresh_token)
        if not (roleless or secrets.compare_digest(given, self.app.refresh_token)):
            raise GrantError(400, "invalid_grant", "The request has an invalid grant parameter : refresh_token")
        token = "Atza|" + secrets.token_urlsafe(48)
        with self._lock:
            self._expiry_ms[token] = self.clock.now_ms() + round(self.lifetime * 1000 / self.time_scale)
            if roleless:
                self._roleless.add(token)
        # Whether a refresh answer repeats refresh_token is not documented; the sandbox leaves it out
        # so that no client comes to rely on it.
        return {"access_token": token, "token_type": "bearer", "expires_in": int(self.lifetime)}

    def issued(self):
        """Every access token issued so far (tests look for them where no secret may be)."""
        with self._lock:
            return tuple(self._expiry_ms)

    def check(self, token):
        """None for a valid token, else the 403 `details` text ("" for a seller without the Orders role)."""
        if not token:
            return TOKEN_MISSING
        with self._lock:
            expiry = self._expiry_ms.get(token)
        if expiry is None:
            return TOKEN_INVALID
        if self.clock.now_ms() >= expiry:
            return TOKEN_EXPIRED
        if token in self._roleless:
            return ""
        return None
