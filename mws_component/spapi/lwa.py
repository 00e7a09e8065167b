"""Login with Amazon: the refresh-token grant, the access-token cache, and the SP-API Authoriser.

Since October 2023 SP-API needs no AWS Signature Version 4: the LWA access
token in `x-amz-access-token` suffices (SP-API changelog: "SP-API will no
longer require AWS IAM or AWS Signature Version 4"). The token is fetched with
the refresh-token grant (SP-API: Connect to the Selling Partner API): a
form-encoded POST of grant_type=refresh_token, refresh_token, client_id and
client_secret to the LWA token URL; it lasts `expires_in` seconds (3600).

Tokens are cached process-wide per (token URL, client id, refresh token and
secret), so every client of one seller shares one token, and refreshed a
safety margin before they run out (Amazon's own Java client uses 60 s).
"""

import hashlib
import json
import logging
import platform
import threading
import time
from dataclasses import replace
from urllib.parse import quote

import requests

from .. import __version__
from ..errors import TransportError
from .errors import LwaError, scrubbed

log = logging.getLogger("mws_component.spapi.lwa")

USER_AGENT = (f"mws-component/{__version__} (Language=Python/{platform.python_version()}; "
              f"Platform={platform.system() or 'unknown'}/{platform.machine() or 'unknown'})")

SAFETY_MARGIN = 60.0  # seconds before expires_in at which a cached token is renewed
DEFAULT_LIFETIME = 3600.0
GRANT_ATTEMPTS = 3
GRANT_BACKOFF = (0.5, 1.5)  # seconds before the 2nd and 3rd attempt
GRANT_TIMEOUT = (10.0, 30.0)  # connect, read
MAX_GRANT_BODY = 64 * 1024

# What each grant error means for the seller (SP-API: Connect to the Selling Partner API; RFC 6749 §5.2):
# (the part that is wrong, the credentials fields that hold it, what to tell).
GRANT_ERRORS = {
    "invalid_client": ("LWA client id or client secret", ("lwaClientId", "lwaClientSecret"),
                       "Login with Amazon did not accept the LWA client id or client secret (a client secret "
                       "expires under Amazon's 180-day rotation: Seller Central → Apps and Services → Develop Apps "
                       "shows the current one)"),
    "invalid_grant": ("refresh token", ("refreshToken",),
                      "Login with Amazon did not accept the refresh token: it was revoked, mistyped or issued to "
                      "another app (authorise the app again for a new one)"),
    "unauthorized_client": ("LWA client id", ("lwaClientId",),
                            "the LWA app (client id) may not use the refresh-token grant"),
    "invalid_request": ("token request", ("lwaEndpoint",),
                        "Login with Amazon refused the token request as malformed (is lwaEndpoint an LWA token URL?)"),
    "unsupported_grant_type": ("LWA endpoint", ("lwaEndpoint",),
                               "the LWA endpoint does not support the refresh-token grant"),
    "invalid_scope": ("LWA client id", ("lwaClientId",), "Login with Amazon refused the scope of the grant"),
}
_UNKNOWN_GRANT_ERROR = ("LWA credentials", ("lwaClientId", "lwaClientSecret", "refreshToken"),
                        "Login with Amazon refused the token grant")


def encode_query(params):
    """The query string, encoded once: every name and value percent-encoded (RFC 3986 unreserved
    characters kept), array values joined with a comma (Swagger 2 `csv`). So a pagination token's
    `+ / =` become %2B %2F %3D exactly once."""
    pairs = []
    for name, value in params.items():
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            text = ",".join(quote(str(v), safe="") for v in value)
        elif isinstance(value, bool):
            text = "true" if value else "false"
        else:
            text = quote(str(value), safe="")
        pairs.append(f"{quote(str(name), safe='')}={text}")
    return "&".join(pairs)


class _Entry:
    __slots__ = ("token", "renew_at")

    def __init__(self, token, renew_at):
        self.token = token
        self.renew_at = renew_at


class TokenCache:
    """Access tokens per key, thread-safe; one grant at a time per key (others wait for its token)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._locks = {}
        self._entries = {}

    def _key_lock(self, key):
        with self._lock:
            return self._locks.setdefault(key, threading.Lock())

    def get(self, key, now, fetch, time_scale=1.0):
        """The cached token, or fetch() -> (token, lifetime seconds) when missing or due for renewal.
        `time_scale`: the lifetime runs that many times faster (a sandbox on --time-scale shortens it alike)."""
        with self._key_lock(key):
            entry = self._entries.get(key)
            if entry is not None and now < entry.renew_at:
                return entry.token
            token, lifetime = fetch()
            margin = SAFETY_MARGIN if lifetime > 2 * SAFETY_MARGIN else lifetime / 2
            self._entries[key] = _Entry(token, now + (lifetime - margin) / time_scale)
            return token

    def drop(self, key, token=None):
        """Forget the key's token (only if it is still `token`, when given: another thread may have renewed it)."""
        with self._key_lock(key):
            entry = self._entries.get(key)
            if entry is not None and (token is None or entry.token == token):
                del self._entries[key]

    def holds(self, key):
        with self._lock:
            return key in self._entries

    def clear(self):
        with self._lock:
            self._entries.clear()


TOKEN_CACHE = TokenCache()
_SESSION = None


def _default_session():
    global _SESSION
    if _SESSION is None:
        _SESSION = requests.Session()
    return _SESSION


class LwaAuthoriser:
    """The SP-API Authoriser: adds the LWA access token (and x-amz-date, user-agent) and encodes the query once."""

    def __init__(self, credentials, *, session=None, cache=TOKEN_CACHE, clock=time.monotonic, sleep=time.sleep,
                 time_scale=1.0):
        self.credentials = credentials
        self.time_scale = float(time_scale) if time_scale and time_scale > 0 else 1.0
        self.session = session or _default_session()
        self.cache = cache
        self.clock = clock
        self.sleep = sleep
        digest = hashlib.sha256("\0".join((credentials.refresh_token, credentials.lwa_client_secret)).encode())
        self._key = (credentials.lwa_endpoint, credentials.lwa_client_id, digest.hexdigest())
        self._last_token = None

    @property
    def secrets(self):
        """Every secret it holds: the client secret, the refresh token and the access token in use."""
        return tuple(s for s in (*self.credentials.secrets, self._last_token) if s)

    # -- the Authoriser ----------------------------------------------------

    def authorise(self, request, now):
        if "?" in request.url:
            raise ValueError(f"{getattr(request.operation, 'name', 'request')}: the URL must come without a query; "
                             "parameters go in params")
        token = self.access_token()
        query = encode_query(request.params or {})
        headers = {k: v for k, v in (request.headers or {}).items()
                   if k.lower() not in ("x-amz-access-token", "x-amz-date", "user-agent", "authorization")}
        headers["x-amz-access-token"] = token
        # Optional since SigV4 went away; sent as the peers still do, from the server's clock.
        headers["x-amz-date"] = now.strftime("%Y%m%dT%H%M%SZ")
        headers["user-agent"] = USER_AGENT
        if request.body is not None and not any(k.lower() == "content-type" for k in headers):
            headers["content-type"] = "application/json"  # SP-API answers 415 without it
        return replace(request, url=request.url + (f"?{query}" if query else ""), params={}, headers=headers)

    def prepare(self):
        """Have a valid access token before the quota is drawn (a grant takes a round trip)."""
        self.access_token()

    def invalidate(self):
        """Drop the cached access token (after a 403 "expired"), unless another client renewed it meanwhile."""
        self.cache.drop(self._key, self._last_token)

    # -- the grant -----------------------------------------------------------

    def access_token(self):
        """A valid access token: the cached one, else a fresh grant."""
        token = self.cache.get(self._key, self.clock(), self._grant, self.time_scale)
        self._last_token = token
        return token

    def _grant(self):
        c = self.credentials
        form = {"grant_type": "refresh_token", "refresh_token": c.refresh_token,
                "client_id": c.lwa_client_id, "client_secret": c.lwa_client_secret}
        headers = {"Content-Type": "application/x-www-form-urlencoded;charset=UTF-8", "User-Agent": USER_AGENT,
                   "Accept": "application/json"}
        for attempt in range(1, GRANT_ATTEMPTS + 1):
            last = attempt == GRANT_ATTEMPTS
            try:
                with self.session.post(c.lwa_endpoint, data=form, headers=headers, timeout=GRANT_TIMEOUT,
                                       allow_redirects=False, stream=True) as resp:
                    body = _limited(resp)
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout,
                    requests.exceptions.ChunkedEncodingError) as exc:
                reason = self._reason(exc)
                if last:
                    raise TransportError(f"the LWA endpoint {c.lwa_endpoint} is unreachable ({reason}); "
                                         f"gave up after {attempt} attempt(s)") from None
                self._pause(attempt, reason)
                continue
            # A throttled grant (429) is retried like a failed one: it says nothing about the credentials.
            if resp.status_code >= 500 or resp.status_code == 429:
                if last:
                    raise self._refusal(resp.status_code, body, resp.headers,
                                        outcome_kind="throttled" if resp.status_code == 429 else "server_error")
                self._pause(attempt, f"HTTP {resp.status_code}")
                continue
            if resp.status_code != 200:
                raise self._refusal(resp.status_code, body, resp.headers)
            return self._token_of(body, resp.headers)

    def _pause(self, attempt, reason):
        wait = GRANT_BACKOFF[min(attempt, len(GRANT_BACKOFF)) - 1]
        log.warning("LWA token grant attempt %d failed (%s); retrying in %.1f s", attempt, reason, wait)
        self.sleep(wait)

    def _token_of(self, body, headers):
        answer = _json(body)
        token = answer.get("access_token") if isinstance(answer, dict) else None
        if not isinstance(token, str) or not token.strip():
            raise LwaError("the LWA endpoint answered HTTP 200 without an access token"
                           + self._snippet(body, json_ok=False), code="InvalidAnswer", part="LWA endpoint",
                           fields=("lwaEndpoint",), status=200, request_id=_request_id(headers))
        lifetime = answer.get("expires_in")
        try:
            lifetime = float(lifetime)
            if not 0 < lifetime < 10 ** 7:
                raise ValueError(lifetime)
        except (TypeError, ValueError):
            lifetime = DEFAULT_LIFETIME
        log.debug("LWA access token granted to client %s, valid %.0f s", self.credentials.lwa_client_id, lifetime)
        return token.strip(), lifetime

    def _refusal(self, status, body, headers, outcome_kind="final"):
        answer = _json(body)
        request_id = _request_id(headers)
        if isinstance(answer, dict) and isinstance(answer.get("error"), str):
            code = answer["error"]
            part, fields, text = GRANT_ERRORS.get(code, _UNKNOWN_GRANT_ERROR)
            if code not in GRANT_ERRORS:
                text = f"{text} ({code[:60]})"
            description = answer.get("error_description")
            if isinstance(description, str) and description.strip():
                text += ": " + self._scrubbed(description)[:200]
            if isinstance(answer.get("request_id"), str):
                request_id = answer["request_id"][:80]
            return LwaError(f"{text} (HTTP {status})", code=code, part=part, fields=fields, status=status,
                            request_id=request_id, outcome_kind=outcome_kind)
        return LwaError(f"the LWA endpoint answered HTTP {status}, not like Login with Amazon"
                        + self._snippet(body), code="HttpError", part="LWA endpoint", fields=("lwaEndpoint",),
                        status=status, request_id=request_id, outcome_kind=outcome_kind)

    def _scrubbed(self, text):
        return " ".join(scrubbed(text, self.secrets).split())

    def _snippet(self, body, json_ok=True):
        text = body.decode("utf-8", "replace") if body else ""
        if not json_ok:
            text = "" if text.lstrip().startswith("{") else text  # a JSON body may hold a token: never quoted
        text = self._scrubbed(" ".join(part.split(">")[-1] for part in text.split("<")))[:160]
        return f": {text}" if text else " (empty body)"

    def _reason(self, exc):
        text = scrubbed(str(exc), self.secrets)
        if "Connection refused" in text:
            return "connection refused"
        if isinstance(exc, requests.exceptions.Timeout):
            return "timed out"
        return text.split("(Caused by")[0].strip()[:160] or type(exc).__name__

    def __repr__(self):
        return f"LwaAuthoriser(client={self.credentials.lwa_client_id!r}, lwa_endpoint={self.credentials.lwa_endpoint!r})"


def _limited(resp):
    """The body, read no further than MAX_GRANT_BODY + 1 bytes (a token answer is a few hundred)."""
    chunks, size = [], 0
    for chunk in resp.iter_content(8192):
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_GRANT_BODY:
            break
    return b"".join(chunks)


def _json(body):
    try:
        return json.loads(body.decode("utf-8")) if body and len(body) <= MAX_GRANT_BODY else None
    except (UnicodeDecodeError, ValueError):
        return None


def _request_id(headers):
    value = (headers or {}).get("x-amzn-requestid")
    return value[:80] if isinstance(value, str) else None
