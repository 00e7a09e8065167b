"""The one MWS client: any operation of operations.py through one invoker.

    client = MwsClient(Credentials.from_cfg(cfg))
    result = client.call("GetOrder", AmazonOrderId=["902-3159896-1390916"])
    for page in client.pages("ListOrders", MarketplaceId=[...], LastUpdatedAfter=...):
        ...

It adds the mandatory parameters (SellerId or Merchant by section,
MWSAuthToken only when configured), signs each attempt afresh, and hands the
answer back as the parsed result element. It never logs a parameter value
that could be secret, nor the Signature.
"""

import logging
import platform
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import requests
from urllib.parse import urlsplit

from . import __version__, xmlsafe
from .config import Credentials, time_scale
from .errors import ResponseError
from .operations import flatten_params, operation
from .signing import content_md5, encode_query, sign_params, timestamp
from .throttle import Throttle
from .transport import SERVER_OFFSETS, RetryPolicy, Transport

log = logging.getLogger("mws_component.client")

USER_AGENT = (f"mws-component/{__version__} (Language=Python/{platform.python_version()}; "
              f"Platform={platform.system() or 'unknown'}/{platform.machine() or 'unknown'})")

_THROTTLES = {}


def shared_throttle(time_scale=1.0):
    """The process-wide throttle for a clock speed, so every client for a seller shares its quota."""
    return _THROTTLES.setdefault(float(time_scale), Throttle(time_scale))


@dataclass
class Result:
    operation: str
    root: object  # the whole answer's root element
    result: object  # the <OperationResult> element
    request_id: str | None
    headers: dict


class MwsClient:
    def __init__(self, credentials, *, session=None, time_scale=1.0, retry=None, throttle=None,
                 clock=time.monotonic, sleep=time.sleep, rng=None):
        self.credentials = credentials
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.throttle = throttle or shared_throttle(time_scale)
        self.transport = Transport(self.session, self.throttle, retry or RetryPolicy().scaled(time_scale),
                                   secrets=credentials.secrets, clock=clock, sleep=sleep, rng=rng)

    # -- the invoker -----------------------------------------------------

    def call(self, operation_name, *, body=None, content_type=None, deadline=None, **params):
        """Run one operation; return its Result. `body` (bytes) goes with SubmitFeed."""
        answer = self.send(operation_name, body=body, content_type=content_type, deadline=deadline, **params)
        return self.result_of(operation_name, answer)

    def send(self, operation_name, *, body=None, content_type=None, deadline=None, sink=None, **params):
        """Run one operation; return the raw Answer (for bodies that are not MWS XML, like reports).

        `body` is bytes or a seekable binary file (sent from its start on every
        attempt, so a large feed is streamed, never held whole in memory).
        With `sink` (a callable returning a fresh writable binary file), a
        successful answer's body is streamed into that file instead of memory.
        """
        op = operation(operation_name)
        flat = flatten_params(op, params)
        quota = self.throttle.quota((self.credentials.endpoint, self.credentials.seller_id), op.quota)
        url = self.credentials.endpoint + op.section.path
        if body is not None and "ContentMD5Value" not in flat:
            if not isinstance(body, (bytes, bytearray)):
                raise ValueError("a streamed body needs its ContentMD5Value")
            flat["ContentMD5Value"] = content_md5(body)

        def prepare():
            signed = sign_params(self._mandatory(op) | flat, self.credentials.secret_access_key,
                                 "POST", url, op.section.path)
            query = encode_query(signed)
            if body is None:
                return "POST", url, {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}, query
            if hasattr(body, "seek"):
                body.seek(0)
            # ContentMD5Value is the signed form Amazon asks for; the header is the legacy one.
            headers = {"Content-Type": content_type or "text/xml", "Content-MD5": flat["ContentMD5Value"]}
            return "POST", f"{url}?{query}", headers, body

        started = time.monotonic()
        answer = self.transport.send(op, quota, prepare, deadline=deadline, sink=sink)
        log.debug("%s answered HTTP %s in %.2f s (attempts: %d, request id %s)", op.name, answer.status,
                  time.monotonic() - started, answer.attempts, answer.headers.get("x-mws-request-id"))
        return answer

    def _mandatory(self, op):
        c = self.credentials
        params = {
            "AWSAccessKeyId": c.access_key_id,
            "Action": op.name,
            op.section.seller_param: c.seller_id,
            "SignatureMethod": "HmacSHA256",
            "SignatureVersion": "2",
            # The server's clock as learnt from its answers: a skewed local clock
            # would otherwise be refused with RequestExpired (15 minutes allowed).
            "Timestamp": timestamp(self.server_now()),
            "Version": op.section.version,
        }
        if c.mws_auth_token:
            params["MWSAuthToken"] = c.mws_auth_token
        return params

    def result_of(self, operation_name, answer):
        root = xmlsafe.parse(answer.body, what=f"{operation_name} answer")
        name = xmlsafe.local_name(root)
        if name == "ErrorResponse":
            raise self.transport.error_of(answer)
        if name != f"{operation_name}Response":
            raise ResponseError(f"{operation_name}: expected {operation_name}Response, got <{name}>")
        result = xmlsafe.find(root, f"{operation_name}Result")
        if result is None:
            raise ResponseError(f"{operation_name}: answer has no {operation_name}Result element")
        metadata = xmlsafe.find(root, "ResponseMetadata")
        request_id = xmlsafe.find_text(metadata, "RequestId") if metadata is not None else None
        return Result(operation_name, root, result, request_id or answer.headers.get("x-mws-request-id"),
                      answer.headers)

    # -- pagination --------------------------------------------------------

    def pages(self, operation_name, *, next_token=None, **params):
        """Every page of a listing, as Results, following NextToken (and
        HasNext in the Feeds section). Starting from `next_token` resumes a
        listing with the ByNextToken operation."""
        op = operation(operation_name)
        result = (self.call(op.next_token_operation, NextToken=next_token) if next_token
                  else self.call(operation_name, **params))
        seen = set()
        while True:
            yield result
            token = xmlsafe.find_text(result.result, "NextToken")
            if op.section.has_next and (xmlsafe.find_text(result.result, "HasNext") or "").lower() != "true":
                return
            if not token:
                return
            if token in seen:  # Amazon's own examples repeat a token; following it would loop forever
                raise ResponseError(f"{operation_name}: the server returned the same NextToken twice")
            seen.add(token)
            result = self.call(op.next_token_operation, NextToken=token)

    # -- time ------------------------------------------------------------

    def server_now(self):
        """The server's clock as learnt from its answers (ours until it has answered)."""
        offset = SERVER_OFFSETS.get(urlsplit(self.credentials.endpoint).netloc, 0.0)
        return datetime.now(timezone.utc) + timedelta(seconds=offset)

    @property
    def knows_server_time(self):
        return urlsplit(self.credentials.endpoint).netloc in SERVER_OFFSETS


_SESSIONS = {}


def client_from_cfg(cfg, **kwargs):
    """A client for the credentials in a step's cfg (ConfigurationError names a bad field).

    Clients for one endpoint share a session, so the messages a step processes
    one after another reuse its kept-alive connections."""
    credentials = Credentials.from_cfg(cfg)
    kwargs.setdefault("time_scale", time_scale())
    if "session" not in kwargs:
        kwargs["session"] = _SESSIONS.get(credentials.endpoint) or _SESSIONS.setdefault(
            credentials.endpoint, requests.Session())
    return MwsClient(credentials, **kwargs)
