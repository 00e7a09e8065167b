"""Presigned feed-document URLs (spapi/documents.py): the upload and download through the pipeline, with no
token, the exact Content-Type, S3's errors and the retry rules."""

import io
import tempfile

import pytest
import responses

from mws_component.endpoint import Endpoints
from mws_component.errors import TransportError
from mws_component.retry import RetryPolicy
from mws_component.spapi.documents import PresignedUrl, S3Error

BASE = "https://tortuga-prod-na.s3-external-1.amazonaws.com"
QUERY = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20261201T100000Z&X-Amz-Expires=300&X-Amz-Signature=SIGNED0123"
URL = f"{BASE}/uploads/amzn1.tortuga.4.na.doc-1?{QUERY}"
CONTENT_TYPE = "application/json; charset=UTF-8"
EXPIRED = (b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code>'
           b"<Message>Request has expired</Message><RequestId>R1</RequestId></Error>")


def presigned(**retry):
    endpoints = Endpoints(sleep=lambda seconds: None)
    return PresignedUrl(URL, endpoints, retry=RetryPolicy(base_delay=0.0, max_delay=0.0, **retry))


@responses.activate
def test_the_upload_is_sent_as_given_with_exactly_the_content_type_and_no_token():
    responses.put(URL, status=200, body=b"")
    presigned().put(io.BytesIO(b'{"header":{}}'), CONTENT_TYPE)
    [call] = responses.calls
    assert call.request.url == URL  # the signed query exactly as Amazon gave it
    assert call.request.headers["Content-Type"] == CONTENT_TYPE
    assert "x-amz-access-token" not in {k.lower() for k in call.request.headers}


@responses.activate
def test_a_slow_down_is_retried_on_the_same_url_and_the_file_sent_from_its_start():
    responses.put(URL, status=503, body=b"<Error><Code>SlowDown</Code><Message>Please reduce your request rate."
                                        b"</Message></Error>")
    responses.put(URL, status=200, body=b"")
    file = io.BytesIO(b"0123456789")
    presigned().put(file, CONTENT_TYPE)
    assert len(responses.calls) == 2


@responses.activate
def test_an_expired_url_is_a_final_s3_error_without_the_signature():
    responses.put(URL, status=403, body=EXPIRED)
    with pytest.raises(S3Error) as refused:
        presigned().put(io.BytesIO(b"x"), CONTENT_TYPE)
    assert len(responses.calls) == 1
    error = refused.value
    assert (error.status, error.code, error.message, error.outcome_kind) == (403, "AccessDenied",
                                                                             "Request has expired", "final")
    assert "SIGNED0123" not in str(error) and "SIGNED0123" not in repr(presigned())


@responses.activate
def test_an_upload_whose_answer_was_lost_is_not_sent_again_to_the_url():
    import requests
    responses.put(URL, body=requests.exceptions.ConnectionError("Connection aborted."))
    with pytest.raises(TransportError, match="not sent again"):
        presigned().put(io.BytesIO(b"x"), CONTENT_TYPE)
    assert len(responses.calls) == 1


@responses.activate
def test_the_download_streams_into_the_sink():
    get_url = URL.replace("/uploads/", "/reports/")
    responses.get(get_url, status=200, body=b"\x1f\x8b report bytes")
    with PresignedUrl(get_url, Endpoints()).get(sink=tempfile.TemporaryFile) as file:
        assert file.read() == b"\x1f\x8b report bytes"


def test_only_http_urls_are_taken():
    from mws_component.errors import ResponseError
    with pytest.raises(ResponseError):
        PresignedUrl("file:///etc/passwd", Endpoints())
