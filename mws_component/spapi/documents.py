"""Feed documents at their presigned URLs: the upload (PUT) and the report download (GET).

createFeedDocument and getFeedDocument answer a presigned S3 URL (Feeds API v2021-06-30 use case
guide): its query string is its authorisation, so the request carries no x-amz-access-token and no
Login with Amazon token is fetched for it. It runs through the same pipeline as every call, with
stages of its own: an authoriser that adds nothing (the URL is sent exactly as Amazon gave it), an
envelope for S3's answers (empty 200, or an XML <Error>), and no usage plan (S3 has none that SP-API
documents; a 503 SlowDown is retried as a server error). The same retry rules apply, and the PUT is
not idempotent: the URL takes one upload, so an upload whose answer was lost is never repeated to it
(feeds.py creates a new document instead).
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import etree

from ..endpoint import ENDPOINTS
from ..errors import ApiError, ResponseError
from ..pipeline import Pipeline, Request
from ..retry import RetryPolicy

_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class DocumentOperation:
    """The row of a presigned-URL request (the pipeline reads .name, .idempotent and .quota)."""
    name: str
    method: str
    idempotent: bool
    quota: object = None


UPLOAD = DocumentOperation("uploadFeedDocument", "PUT", idempotent=False)
DOWNLOAD = DocumentOperation("downloadFeedDocument", "GET", idempotent=True)


class S3Error(ApiError):
    """An error the presigned URL answered (S3's XML <Error><Code/><Message/></Error>)."""

    def __init__(self, message, *, code, status, request_id=None, operation=None):
        kind = "server_error" if status >= 500 else "final"
        super().__init__(message, code=code, status=status, request_id=request_id, outcome_kind=kind)
        self.operation = operation

    def __str__(self):
        return f"{self.operation}: {self.code}: {self.message} [HTTP {self.status}]"


class NoAuthoriser:
    """The presigned URL carries its own authorisation: nothing is added, nothing is held."""
    secrets = ()

    def prepare(self):
        pass

    def authorise(self, request, now):
        return request

    def invalidate(self):
        pass


class NoQuota:
    def quota_for(self, request, seller_key):
        return None

    def acquire(self, quota, deadline=None):
        pass

    def observe(self, quota, answer):
        pass

    def throttled(self, quota, answer):
        return 0.0


class S3Envelope:
    def parse(self, request, answer):
        if 200 <= answer.status < 300:
            return answer
        body = answer.body
        if body is None and answer.file is not None:
            answer.file.seek(0)
            body = answer.file.read(65536)
        code, message = _s3_error(body or b"")
        raise S3Error(message or f"HTTP {answer.status}", code=code or "HttpError", status=answer.status,
                      request_id=(answer.headers or {}).get("x-amz-request-id"), operation=request.operation.name)


def _s3_error(body):
    try:
        root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        text = " ".join(_TAG.sub(" ", body[:2048].decode("utf-8", "replace")).split())[:200]
        return None, text or None
    return root.findtext("Code"), root.findtext("Message")


class PresignedUrl:
    """One presigned URL of a feed document, through the pipeline of its base URL's Endpoint."""

    def __init__(self, url, endpoints=None, *, time_scale=1.0, retry=None):
        parts = urlsplit(url)
        if parts.scheme not in ("https", "http") or not parts.netloc:
            raise ResponseError("the feed document URL Amazon answered is not an http(s) URL")
        self.base = f"{parts.scheme}://{parts.netloc}"
        self.path_url = self.base + parts.path
        self.query = parts.query or None
        endpoint = (endpoints or ENDPOINTS).get(self.base, time_scale=time_scale)
        self.pipeline = Pipeline(endpoint, NoAuthoriser(), S3Envelope(), NoQuota(), retry or RetryPolicy(),
                                 seller_key=None)

    def __repr__(self):  # never the query: it is the URL's signature
        return f"PresignedUrl({self.path_url!r})"

    def _request(self, operation, headers=None, body=None):
        return Request(operation=operation, method=operation.method, url=self.path_url, headers=dict(headers or {}),
                       body=body, query=self.query)

    def put(self, file, content_type, *, deadline=None):
        """Upload `file` (seekable, streamed from its start) with exactly `content_type`."""
        self.pipeline.run(lambda: self._request(UPLOAD, {"Content-Type": content_type}, file), deadline=deadline)

    def get(self, *, sink, deadline=None):
        """The document streamed into the file `sink()` makes, positioned at its start."""
        answer = self.pipeline.run(lambda: self._request(DOWNLOAD), deadline=deadline, sink=sink)
        if answer.file is None:  # a 2xx that was not 200 comes in memory
            file = sink()
            file.write(answer.body or b"")
            file.seek(0)
            return file
        return answer.file
