"""The one MWS client: any operation of the table (operations.py) through one pipeline.

    client = MwsClient(credentials)
    result = client.call("GetOrder", AmazonOrderId=["902-3159896-1390916"])
    for page in client.pages("ListOrders", MarketplaceId=[...], LastUpdatedAfter=...):
        ...

It builds each request from the operation's row (Action, Version, SellerId or
Merchant by section, list parameters spelled Amazon's way) and hands it to the
pipeline: the Signature Version 2 signer adds its own parameters, the MWS
envelope parses the answer, the MWS quota model keeps the seller's quota on the
endpoint they share. It never logs a parameter value that could be secret, nor
the Signature.
"""

import logging
import platform
import time

from .. import __version__, xmlsafe
from ..endpoint import ENDPOINTS
from ..errors import ResponseError
from ..pipeline import Pipeline, Request
from ..retry import RetryPolicy
from .envelope import MwsEnvelope, Result  # noqa: F401  (Result: what call() returns)
from .operations import flatten_params, operation
from .quota import MwsQuotaModel
from .signing import SignatureV2Signer, content_md5

log = logging.getLogger("mws_component.mws.client")

USER_AGENT = (f"mws-component/{__version__} (Language=Python/{platform.python_version()}; "
              f"Platform={platform.system() or 'unknown'}/{platform.machine() or 'unknown'})")


class MwsClient:
    def __init__(self, credentials, *, endpoint=None, endpoints=ENDPOINTS, time_scale=1.0, retry=None,
                 rng=None, sleep=None, clock=None):
        self.credentials = credentials
        self.endpoint = endpoint or endpoints.get(credentials.endpoint, time_scale=time_scale)
        self.pipeline = Pipeline(
            self.endpoint, SignatureV2Signer(credentials), MwsEnvelope(credentials.secrets),
            MwsQuotaModel(self.endpoint), retry or RetryPolicy().scaled(self.endpoint.time_scale),
            seller_key=credentials.seller_id, rng=rng, sleep=sleep or self.endpoint.sleep,
            clock=clock or self.endpoint.monotonic)

    @property
    def session(self):
        return self.endpoint.session

    # -- the invoker -----------------------------------------------------

    def call(self, operation_name, *, body=None, content_type=None, deadline=None, sink=None, **params):
        """Run one operation; return its Result.

        `body` (bytes, or a seekable binary file sent from its start on every attempt, so a
        large feed is streamed, never held whole in memory) goes with SubmitFeed. With `sink`
        (a callable returning a fresh writable binary file), a successful answer's body is
        streamed into that file and the raw answer is returned (reports are not MWS XML)."""
        op = operation(operation_name)
        flat = flatten_params(op, params)
        if body is not None and "ContentMD5Value" not in flat:
            if not isinstance(body, (bytes, bytearray)):
                raise ValueError("a streamed body needs its ContentMD5Value")
            flat["ContentMD5Value"] = content_md5(body)
        url = self.credentials.endpoint + op.section.path
        mandatory = {"Action": op.name, op.section.seller_param: self.credentials.seller_id,
                     "Version": op.section.version}
        headers = {"User-Agent": USER_AGENT}
        if body is not None:
            # ContentMD5Value is the signed form Amazon asks for; the header is the legacy one.
            headers |= {"Content-Type": content_type or "text/xml", "Content-MD5": flat["ContentMD5Value"]}

        def build():
            return Request(op, "POST", url, mandatory | flat, dict(headers), body)

        started = time.monotonic()
        parsed = self.pipeline.run(build, deadline=deadline, sink=sink)
        log.debug("%s answered in %.2f s (request id %s)", op.name, time.monotonic() - started,
                  getattr(parsed, "request_id", None) or getattr(parsed, "headers", {}).get("x-mws-request-id"))
        return parsed

    # -- pagination --------------------------------------------------------

    def pages(self, operation_name, *, resume=None, deadline=None, **params):
        """Every page of a listing, as Results, following NextToken (and HasNext in the Feeds
        section). With `resume` (a NextToken saved from an earlier page) the listing continues
        there with the ByNextToken operation. A token the server gives twice is refused
        (Amazon's own examples repeat one; following it would loop forever)."""
        op = operation(operation_name)
        seen = {resume} if resume else set()
        result = (self.call(op.next_token_operation, NextToken=resume, deadline=deadline) if resume
                  else self.call(operation_name, deadline=deadline, **params))
        while True:
            yield result
            token = next_token(result)
            if not token:
                return
            if token in seen:
                raise ResponseError(f"{operation_name}: the server returned the same NextToken twice")
            seen.add(token)
            result = self.call(op.next_token_operation, NextToken=token, deadline=deadline)

    # -- time ------------------------------------------------------------

    def server_now(self):
        """The server's clock as learnt from its answers (ours until it has answered)."""
        return self.endpoint.clock.now()

    @property
    def knows_server_time(self):
        return self.endpoint.clock.known


def next_token(result):
    """The page's NextToken, None on the last page (in the Feeds section, HasNext says so)."""
    token = xmlsafe.find_text(result.result, "NextToken")
    if operation(result.operation).section.has_next and (xmlsafe.find_text(result.result, "HasNext") or "").lower() != "true":
        return None
    return token or None
