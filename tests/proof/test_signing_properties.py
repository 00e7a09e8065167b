"""Any Unicode text in a request parameter is signed so that the sandbox (which rebuilds the string to
sign on its own, as Amazon did) accepts it, and arrives as the same text."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mws_component import errors
from mws_component.mws.client import MwsClient
from mws_component.credentials import MwsCredentials as Credentials
from mws_component.endpoint import Endpoint
from mws_component.retry import RetryPolicy
from mws_sandbox import Sandbox

# st.text() draws Unicode scalar values: every code point but the lone surrogates, which UTF-8
# (and so MWS's percent-encoding) cannot carry at all.
ANY_TEXT = st.text(max_size=80)
PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def sandbox():
    # The secret itself has characters that percent-encoding and HMAC input must both get right.
    with Sandbox(seed=12, orders=10, quotas=False, secret_key="s3cr/et+key=é€", auth_token="amzn.mws.tok-1") as sb:
        yield sb


@pytest.fixture(scope="module")
def client(sandbox):
    credentials = Credentials.from_cfg(sandbox.credentials)
    # quotas that never make a test wait; retries at their real pace
    return MwsClient(credentials, endpoint=Endpoint(credentials.endpoint, time_scale=1e6), retry=RetryPolicy())


def last_params(sandbox):
    return sandbox.requests[len(sandbox.requests) - 1].params


@PROPERTY
@given(text=ANY_TEXT)
def test_any_seller_order_id_signs_and_arrives_unchanged(sandbox, client, text):
    client.call("ListOrders", MarketplaceId=[sandbox.marketplace_id], CreatedAfter="2000-01-01T00:00:00Z",
                SellerOrderId=text)
    assert last_params(sandbox)["SellerOrderId"] == text


@PROPERTY
@given(text=ANY_TEXT)
def test_any_buyer_email_signs_and_arrives_unchanged(sandbox, client, text):
    client.call("ListOrders", MarketplaceId=[sandbox.marketplace_id], CreatedAfter="2000-01-01T00:00:00Z",
                BuyerEmail=text)
    assert last_params(sandbox)["BuyerEmail"] == text


@PROPERTY
@given(text=ANY_TEXT)
def test_any_text_in_a_signed_query_string_is_accepted(sandbox, client, text):
    # SubmitFeed signs the parameters it puts in the URL (the body is the feed): another encoding path.
    try:
        client.call("SubmitFeed", body=b"<AmazonEnvelope/>", content_type="text/xml", FeedType=text)
    except errors.MwsError as error:
        assert error.code != "SignatureDoesNotMatch", error  # refused for the feed type, not the signature
    assert last_params(sandbox)["FeedType"] == text
