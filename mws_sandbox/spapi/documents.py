"""Feed documents and the S3-like URLs they travel through, served by the sandbox itself.

Feeds API 2021-06-30 ("Feeds API v2021-06-30 use case guide"): createFeedDocument answers a presigned URL
that takes the document by PUT, with exactly the Content-Type asked for, within five minutes;
getFeedDocument answers a download URL that also expires after five minutes, with
`compressionAlgorithm: GZIP` when the bytes are gzip-compressed (the sandbox always compresses
reports); with enableContentEncodingUrlHeader=true the URL answers `Content-Encoding: gzip`.

The URLs look like Amazon S3 presigned URLs (X-Amz-Algorithm, X-Amz-Date, X-Amz-Expires,
X-Amz-SignedHeaders, X-Amz-Signature; content-type is a signed header of upload URLs) and fail the way S3
fails them: 403 with an XML <Error> body: SignatureDoesNotMatch for another Content-Type, another method
or an altered URL, AccessDenied "Request has expired" after five minutes. One thing is the sandbox's
rule, not S3's: an upload URL takes one PUT; a second gets 403 AccessDenied "Request has already been
used" (S3 would overwrite). The signature is an HMAC with a key of the sandbox's own.

Paths: /s3/<bucket>/<key>. Buckets: tortuga-uploads (feed documents), tortuga-reports (result documents),
selling-partner-definitions (product type schemas and the meta-schema; unsigned links, whether Amazon's
expire is not documented).
"""

import gzip
import hashlib
import hmac
import os
import secrets
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import parse_qsl, quote, unquote, urlencode

from lxml import etree

from ..clock import format_ms, ms_to_datetime
from ..faults import DROP, ERROR500, THROTTLE, TRUNCATE
from ..requestlog import RequestRecord

S3_ROOT = "s3"
UPLOADS, REPORTS, DEFINITIONS = "tortuga-uploads", "tortuga-reports", "selling-partner-definitions"
URL_LIFETIME_S = 300
AMZ_DATE = "%Y%m%dT%H%M%SZ"
CREDENTIAL = "AKIASANDBOXTORTUGA01/{day}/us-east-1/s3/aws4_request"


@dataclass
class Document:
    document_id: str
    seller_id: str
    content_type: str
    created_ms: int
    content: bytes | None = None  # None until uploaded
    uploaded: bool = False
    compression: str | None = None  # "GZIP" for result documents


def s3_base(http):
    """The sandbox's URL as the client reached it: links it answers point there."""
    return f"http://{http.host}"


class Documents:
    def __init__(self, clock, key=None):
        self.clock = clock
        self._key = key or os.urandom(32)
        self._lock = threading.Lock()
        self._documents = {}

    # -- the store ----------------------------------------------------------------------------------
    @staticmethod
    def _new_id():
        return f"amzn1.tortuga.4.na.{uuid.uuid4()}.T{secrets.token_hex(6).upper()}"

    def create_input(self, seller_id, content_type):
        document = Document(self._new_id(), seller_id, content_type, self.clock.now_ms())
        with self._lock:
            self._documents[document.document_id] = document
        return document

    def create_result(self, seller_id, body, content_type, now_ms):
        document = Document(self._new_id(), seller_id, content_type, now_ms, gzip.compress(body, mtime=0), True,
                            "GZIP")
        with self._lock:
            self._documents[document.document_id] = document
        return document

    def get(self, document_id):
        with self._lock:
            return self._documents.get(document_id)

    # -- presigned URLs -----------------------------------------------------------------------------
    def _signature(self, method, path, amz_date, content_type, extra):
        text = "\n".join((method, path, amz_date, str(URL_LIFETIME_S), content_type or "", extra))
        return hmac.new(self._key, text.encode("utf-8"), hashlib.sha256).hexdigest()

    def presign(self, base, method, bucket, document, content_type=None, content_encoding=None):
        now = ms_to_datetime(self.clock.now_ms())
        amz_date = now.strftime(AMZ_DATE)
        path = f"/{S3_ROOT}/{bucket}/{quote(document.document_id, safe='')}"
        params = {"X-Amz-Algorithm": "AWS4-HMAC-SHA256", "X-Amz-Date": amz_date,
                  "X-Amz-SignedHeaders": "content-type;host" if content_type else "host",
                  "X-Amz-Expires": str(URL_LIFETIME_S),
                  "X-Amz-Credential": CREDENTIAL.format(day=now.strftime("%Y%m%d"))}
        if content_encoding:
            params["response-content-encoding"] = content_encoding
        params["X-Amz-Signature"] = self._signature(method, path, amz_date, content_type,
                                                    content_encoding or "")
        return f"{base}{path}?{urlencode(params)}"

    # -- the S3 face --------------------------------------------------------------------------------
    @staticmethod
    def handles(path):
        return path.startswith(f"/{S3_ROOT}/")

    def serve(self, http, *, fault, requests, definitions):
        """The SpApiAnswer to a request for an /s3/ URL, under the fault drawn for it; logs it.

        `definitions(key) -> (body, content type) or None` serves the definitions bucket.
        """
        from .face import SpApiAnswer  # the face imports this module

        request_id = secrets.token_hex(8).upper()
        params = dict(parse_qsl(http.query, keep_blank_values=True))
        _, _, rest = http.path.partition(f"/{S3_ROOT}/")
        bucket, _, key = rest.partition("/")
        action = {"PUT": "S3PutObject", "GET": "S3GetObject"}.get(http.method, "S3" + http.method.title())
        try:
            if fault.kind == THROTTLE:
                raise S3Error(503, "SlowDown", "Please reduce your request rate.")
            if fault.kind in (ERROR500, DROP):
                raise S3Error(500, "InternalError", "We encountered an internal error. Please try again.")
            if bucket == DEFINITIONS:
                status, body, headers = self._definition(http, key, definitions)
            else:
                status, body, headers = self._document(http, bucket, key, params)
        except S3Error as error:
            status, body, headers = error.status, error.body(request_id, http.path), {"Content-Type": "application/xml"}
        headers = {**headers, "x-amz-request-id": request_id}
        answer = SpApiAnswer(status, body, headers, fault=fault.kind if fault.kind in (DROP, TRUNCATE) else None)
        logged = {k: v for k, v in params.items() if k != "X-Amz-Signature"}
        requests.add(RequestRecord(action=action, params=logged, status=None if fault.kind == DROP else status,
                                   method=http.method, path=http.path, fault=fault.kind,
                                   error_code=None if status < 300 else _code_of(body), request_id=request_id))
        return answer

    def _definition(self, http, key, definitions):
        if http.method != "GET":
            raise S3Error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.")
        found = definitions(key)
        if found is None:
            raise S3Error(404, "NoSuchKey", "The specified key does not exist.")
        body, content_type = found
        return 200, body, {"Content-Type": content_type, "ETag": f'"{hashlib.md5(body).hexdigest()}"'}

    def _document(self, http, bucket, key, params):
        if bucket not in (UPLOADS, REPORTS):
            raise S3Error(404, "NoSuchBucket", "The specified bucket does not exist")
        for name in ("X-Amz-Algorithm", "X-Amz-Date", "X-Amz-Expires", "X-Amz-Signature"):
            if name not in params:
                raise S3Error(403, "AccessDenied", "Query-string authentication requires the X-Amz-Algorithm, "
                                                   "X-Amz-Date, X-Amz-Expires and X-Amz-Signature parameters")
        method = "PUT" if bucket == UPLOADS else "GET"
        document = self.get(unquote(key))
        content_type = http.content_type if bucket == UPLOADS else None
        expected = self._signature(http.method, http.path, params["X-Amz-Date"], content_type,
                                   params.get("response-content-encoding", ""))
        if (http.method != method or params["X-Amz-Expires"] != str(URL_LIFETIME_S) or
                not hmac.compare_digest(expected, params["X-Amz-Signature"])):
            raise S3Error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the "
                                                        "signature you provided. Check your key and signing method.")
        signed = datetime.strptime(params["X-Amz-Date"], AMZ_DATE).replace(tzinfo=timezone.utc)
        expires_ms = int(signed.timestamp() * 1000) + URL_LIFETIME_S * 1000
        now_ms = self.clock.now_ms()
        if now_ms > expires_ms:
            raise S3Error(403, "AccessDenied", "Request has expired",
                          {"X-Amz-Expires": str(URL_LIFETIME_S), "Expires": format_ms(expires_ms),
                           "ServerTime": format_ms(now_ms)})
        if document is None or (method == "GET" and document.content is None):
            raise S3Error(404, "NoSuchKey", "The specified key does not exist.")
        if method == "PUT":
            if http.body_too_large:
                raise S3Error(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
            with self._lock:
                if document.uploaded:
                    raise S3Error(403, "AccessDenied", "Request has already been used")
                document.content, document.uploaded = http.body, True
            return 200, b"", {"ETag": f'"{hashlib.md5(http.body).hexdigest()}"'}
        headers = {"Content-Type": document.content_type, "ETag": f'"{hashlib.md5(document.content).hexdigest()}"'}
        if params.get("response-content-encoding") == "gzip" and document.compression == "GZIP":
            headers["Content-Encoding"] = "gzip"
        return 200, document.content, headers


def _code_of(body):
    try:
        return etree.fromstring(body).findtext("Code")
    except etree.XMLSyntaxError:
        return None


class S3Error(Exception):
    def __init__(self, status, code, message, extra=None):
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message, self.extra = status, code, message, extra or {}

    def body(self, request_id, resource):
        root = etree.Element("Error")
        for name, value in (("Code", self.code), ("Message", self.message), *self.extra.items(),
                            ("Resource", resource), ("RequestId", request_id),
                            ("HostId", hashlib.sha256(request_id.encode()).hexdigest())):
            etree.SubElement(root, name).text = value
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
