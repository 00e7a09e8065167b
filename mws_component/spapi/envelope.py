"""The SP-API JSON envelope: every answer kind, parsed (the pipeline's Envelope).

Success (the operation's success statuses, 2xx): the body as a dict (an empty
body, as 204 answers have, is {}). Errors (any other status, and a 2xx whose
only content is `errors`): an SpApiError from `{"errors": [{code, message,
details}]}` (SP-API: Error handling), or, for a body that is not that JSON (an
HTML 503 from a proxy), from the status and a short text of the body. Every
text taken from an answer is scrubbed of the secrets.
"""

import json
import re

from ..errors import ResponseError
from .errors import SpApiError, scrubbed

MAX_JSON_BODY = 32 * 1024 * 1024  # an Orders page of 100 orders is well under 1 MB
_TAG = re.compile(r"<[^>]*>")


class JsonEnvelope:
    def __init__(self, secrets=()):
        """`secrets`: a tuple, or a callable returning one (the authoriser's, which include the access token)."""
        self._secrets = secrets

    @property
    def secrets(self):
        return tuple(self._secrets() if callable(self._secrets) else self._secrets)

    def parse(self, request, answer):
        name = getattr(request.operation, "name", "SP-API call")
        status = answer.status
        body = _body_of(answer, name)
        request_id = _header(answer, "x-amzn-requestid")
        if 200 <= status < 300:
            if not body or not body.strip():
                return {}
            value = _loads(body)
            if not isinstance(value, dict):
                raise ResponseError(f"{name}: HTTP {status} with an answer that is not a JSON object: "
                                    f"{self._snippet(body)}")
            if set(value) == {"errors"} and isinstance(value["errors"], list) and value["errors"]:
                raise self._error(name, status, value, request_id)  # an error in a success's clothes
            return value
        value = _loads(body) if body else None
        if isinstance(value, dict) and isinstance(value.get("errors"), list) and value["errors"]:
            raise self._error(name, status, value, request_id)
        raise self._non_json_error(name, status, body, request_id)

    def _error(self, name, status, value, request_id):
        listed = []
        for item in value["errors"][:20]:
            if not isinstance(item, dict):
                continue
            listed.append({key: self._text(item.get(key)) for key in ("code", "message", "details")
                           if item.get(key) not in (None, "")})
        first = listed[0] if listed else {}
        return SpApiError(first.get("message") or f"HTTP {status}", code=first.get("code") or "HttpError",
                          details=first.get("details"), status=status, request_id=request_id, operation=name,
                          errors=listed)

    def _non_json_error(self, name, status, body, request_id):
        snippet = self._snippet(body)
        code = {429: "QuotaExceeded", 503: "ServiceUnavailable"}.get(status, "HttpError")
        message = f"HTTP {status} with a body that is not SP-API JSON" + (f": {snippet}" if snippet else " (empty)")
        return SpApiError(message, code=code, status=status, request_id=request_id, operation=name)

    def _text(self, value, limit=500):
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        text = scrubbed(text, self.secrets)
        return text if len(text) <= limit else text[:limit] + "…"

    def _snippet(self, body):
        text = body.decode("utf-8", "replace") if body else ""
        text = scrubbed(text, self.secrets)  # the whole text first: a cut could leave part of a secret
        return " ".join(_TAG.sub(" ", text[:4096]).split())[:200]


def _header(answer, name):
    value = (answer.headers or {}).get(name)
    return value[:120] if isinstance(value, str) else None


def _body_of(answer, name):
    """The answer's bytes (read from its file when the body was streamed), refused beyond MAX_JSON_BODY."""
    body = answer.body
    if body is None and getattr(answer, "file", None) is not None:
        answer.file.seek(0)
        body = answer.file.read(MAX_JSON_BODY + 1)
    if body is not None and len(body) > MAX_JSON_BODY:
        raise ResponseError(f"{name}: answer larger than the {MAX_JSON_BODY} bytes allowed; refused")
    return body or b""


def _loads(body):
    try:
        return json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return _NOT_JSON


class _NotJson:
    def __bool__(self):
        return False


_NOT_JSON = _NotJson()
