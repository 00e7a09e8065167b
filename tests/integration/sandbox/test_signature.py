"""Signature Version 2 checks, request parsing, routing and authentication errors."""

import base64
import hashlib
import hmac
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import quote

import pytest
import requests
from hypothesis import given, settings, strategies as st
from lxml import etree

from mws_component.mws import signing
from mws_sandbox import Sandbox, auth

from .conftest import EARLY, ORDERS_PATH, US, Caller, error_of

SIGNATURE_MISMATCH = (403, "Sender", "SignatureDoesNotMatch")


def hand_signed_query(sandbox, action, extra, method):
    """An independent SigV2 signer: urllib's quote, sorted by UTF-8 bytes, HMAC-SHA256."""
    creds = sandbox.credentials
    params = {"AWSAccessKeyId": creds["accessKeyId"], "Action": action, "SellerId": creds["sellerId"],
              "SignatureMethod": "HmacSHA256", "SignatureVersion": "2", "Version": "2013-09-01",
              "Timestamp": sandbox.clock.now().strftime("%Y-%m-%dT%H:%M:%SZ"), **extra}

    def enc(text):
        return quote(text, safe="-_.~", encoding="utf-8")
    canonical = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(params.items(), key=lambda kv: kv[0].encode()))
    host = sandbox.url.split("//", 1)[1]
    to_sign = f"{method}\n{host.lower()}\n{ORDERS_PATH}\n{canonical}"
    digest = hmac.new(creds["secretAccessKey"].encode(), to_sign.encode(), hashlib.sha256).digest()
    return canonical + "&Signature=" + enc(base64.b64encode(digest).decode())


# -- accepted requests ----------------------------------------------------------------------

def test_independent_signer_over_urllib_post_and_get(shared_sandbox):
    # Values that canonicalisation bugs trip on: space, *, ~, +, /, =, non-ASCII.
    extra = {"CreatedAfter": EARLY, "MarketplaceId.Id.1": US, "SellerOrderId": "a b*c~d+e/f=g Müller"}
    for method in ("POST", "GET"):
        query = hand_signed_query(shared_sandbox, "ListOrders", extra, method)
        url = shared_sandbox.url + ORDERS_PATH
        if method == "POST":
            request = urllib.request.Request(url, data=query.encode(), method="POST",
                                             headers={"Content-Type": "application/x-www-form-urlencoded"})
        else:
            request = urllib.request.Request(f"{url}?{query}", method="GET")
        with urllib.request.urlopen(request, timeout=10) as response:
            root = etree.fromstring(response.read())
            assert response.status == 200
        assert etree.QName(root).localname == "ListOrdersResponse"


def test_component_signer_post_body_and_get_query(mws):
    for method in ("POST", "GET"):
        response = mws.call("GetServiceStatus", method=method)
        assert response.status_code == 200, response.text
        assert response.xml.findtext("{*}GetServiceStatusResult/{*}Status") == "GREEN"


def test_hmac_sha1_is_accepted(mws):
    assert mws.call("GetServiceStatus", SignatureMethod="HmacSHA1").status_code == 200


def test_parameters_split_between_query_string_and_form_body(mws):
    # SubmitFeed-style: everything signed, some in the query string, the rest in the body.
    signed = mws.signed("ListOrders", {"CreatedAfter": EARLY, "MarketplaceId.Id.1": US})
    in_query = {k: v for k, v in signed.items() if k in ("Signature", "Timestamp", "Action")}
    in_body = {k: v for k, v in signed.items() if k not in in_query}
    response = mws.session.post(f"{mws.sandbox.url}{ORDERS_PATH}?{signing.encode_query(in_query)}",
                                data=signing.encode_query(in_body),
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 200, response.text


def test_merchant_is_accepted_instead_of_seller_id(mws):
    params = {"Merchant": mws.sandbox.credentials["sellerId"]}
    assert mws.call("GetServiceStatus", params, drop=("SellerId",)).status_code == 200


def test_timestamp_without_zone_and_expires_are_accepted(mws):
    now = mws.sandbox.clock.now()
    naive = now.replace(tzinfo=None).isoformat(timespec="seconds")  # python-amazon-mws style
    assert mws.call("GetServiceStatus", Timestamp=naive).status_code == 200
    expires = signing.timestamp(now + timedelta(minutes=5))
    assert mws.call("GetServiceStatus", {"Expires": expires}, drop=("Timestamp",)).status_code == 200


def test_host_header_is_lower_cased_before_comparing(mws):
    signed = mws.signed("GetServiceStatus")
    response = mws.session.post(mws.sandbox.url + ORDERS_PATH, data=signing.encode_query(signed),
                                headers={"Content-Type": "application/x-www-form-urlencoded",
                                         "Host": mws.sandbox.url.split("//")[1].upper()})
    assert response.status_code == 200


# -- refused requests -----------------------------------------------------------------------

def test_wrong_secret_is_signature_mismatch(mws):
    assert error_of(mws.call("GetServiceStatus", secret="not-the-secret"))[:3] == SIGNATURE_MISMATCH


def test_tampered_parameter_is_signature_mismatch(mws):
    signed = mws.signed("ListOrders", {"CreatedAfter": EARLY, "MarketplaceId.Id.1": US})
    signed["CreatedAfter"] = "2001-01-01T00:00:00Z"
    assert error_of(mws.send(signed))[:3] == SIGNATURE_MISMATCH


def test_signature_signed_for_other_verb_path_or_sha1_is_refused(mws):
    as_get = mws.signed("GetServiceStatus", method="GET")
    assert error_of(mws.send(as_get, method="POST"))[:3] == SIGNATURE_MISMATCH
    other_path = signing.sign_params(mws.base_params("GetServiceStatus"), mws.sandbox.credentials["secretAccessKey"],
                                     "POST", mws.sandbox.url, "/")
    assert error_of(mws.send(other_path))[:3] == SIGNATURE_MISMATCH
    sha1_claimed = mws.signed("GetServiceStatus")  # signed with SHA-256 ...
    sha1_claimed["SignatureMethod"] = "HmacSHA1"  # ... but claims SHA-1 (also changes the string to sign)
    assert error_of(mws.send(sha1_claimed))[:3] == SIGNATURE_MISMATCH


def test_unencoded_plus_in_signature_decodes_to_space_and_fails(mws):
    # A client that forgets to encode '+' sends a different signature; Amazon read '+' as a space.
    signed = next(s for s in (mws.signed("GetServiceStatus", {"Attempt": str(n)}) for n in range(200))
                  if "+" in s["Signature"])  # unknown parameters are ignored, but signed
    wire = signing.encode_query({k: v for k, v in signed.items() if k != "Signature"})
    wire += "&Signature=" + signed["Signature"].replace("/", "%2F").replace("=", "%3D")
    response = mws.session.post(mws.sandbox.url + ORDERS_PATH, data=wire,
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert (response.status_code, etree.fromstring(response.content).findtext("{*}Error/{*}Code")) == \
        (403, "SignatureDoesNotMatch")


def test_unknown_access_key(mws):
    status, kind, code, message = error_of(mws.call("GetServiceStatus", AWSAccessKeyId="AKIAUNKNOWN0000000"))
    assert (status, kind, code) == (403, "Sender", "InvalidAccessKeyId")
    assert "does not exist in our records" in message


@pytest.mark.parametrize("skew_minutes", [-16, 16])
def test_timestamp_more_than_15_minutes_off_is_expired(mws, skew_minutes):
    stamp = signing.timestamp(mws.sandbox.clock.now() + timedelta(minutes=skew_minutes))
    status, _, code, message = error_of(mws.call("GetServiceStatus", Timestamp=stamp))
    assert (status, code) == (400, "RequestExpired")
    assert stamp in message


def test_timestamp_14_minutes_off_is_accepted(mws):
    stamp = signing.timestamp(mws.sandbox.clock.now() - timedelta(minutes=14))
    assert mws.call("GetServiceStatus", Timestamp=stamp).status_code == 200


def test_passed_expires_is_expired(mws):
    expires = signing.timestamp(mws.sandbox.clock.now() - timedelta(seconds=5))
    assert error_of(mws.call("GetServiceStatus", {"Expires": expires}, drop=("Timestamp",)))[2] == "RequestExpired"


def test_double_encoded_timestamp_is_malformed_input(mws):
    stamp = signing.timestamp(mws.sandbox.clock.now()).replace(":", "%3A")
    status, _, code, message = error_of(mws.call("GetServiceStatus", Timestamp=stamp))
    assert (status, code) == (400, "MalformedInput")
    assert "ISO8601" in message


@pytest.mark.parametrize("name", ["AWSAccessKeyId", "Action", "SignatureMethod", "SignatureVersion",
                                  "Timestamp", "Version", "Signature", "SellerId"])
def test_missing_mandatory_parameter(mws, name):
    signed = mws.signed("GetServiceStatus")
    del signed[name]
    status, kind, code, message = error_of(mws.send(signed))
    assert (status, kind, code) == (400, "Sender", "InvalidParameterValue")
    assert name in message


@pytest.mark.parametrize("name,value", [("SignatureVersion", "1"), ("SignatureMethod", "HmacMD5"),
                                        ("Version", "2011-01-01")])
def test_bad_signing_scheme_or_version(mws, name, value):
    signed = mws.signed("GetServiceStatus")
    signed[name] = value  # these are checked before the signature (Version after it)
    if name == "Version":
        signed = mws.signed("GetServiceStatus", Version=value)
    status, _, code, message = error_of(mws.send(signed))
    assert (status, code) == (400, "InvalidParameterValue")
    assert value in message


def test_wrong_seller_is_access_denied(mws):
    status, _, code, message = error_of(mws.call("ListOrders", SellerId="A9OTHERSELLER"))
    assert (status, code) == (401, "AccessDenied")
    assert message == "Access to Orders.ListOrders is denied"


def test_unknown_path_is_invalid_address_in_root_namespace(mws):
    response = mws.session.post(mws.sandbox.url + "/Sellers/", data="Action=ListMarketplaceParticipations")
    status, kind, code, message = error_of(response)
    assert (status, code) == (404, "InvalidAddress")
    assert etree.QName(response.xml).namespace == "https://mws.amazonservices.com/"
    assert response.xml.findtext("{*}RequestID") == response.headers["x-mws-request-id"]
    assert "/Sellers/" in message


def test_unknown_action_is_invalid_parameter_value(mws):
    status, _, code, message = error_of(mws.call("ListOrderz"))
    assert (status, code, message) == (400, "InvalidParameterValue", "Invalid Action [ListOrderz] for section Orders")


def test_parameter_given_twice_is_refused(mws):
    signed = mws.signed("GetServiceStatus")
    response = mws.session.post(f"{mws.sandbox.url}{ORDERS_PATH}?Action=GetServiceStatus",
                                data=signing.encode_query(signed),
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert error_of(response)[:3] == (400, "Sender", "InvalidParameterValue")


def test_error_document_shape(mws):
    response = mws.call("GetServiceStatus", secret="wrong")
    root = response.xml
    assert etree.QName(root).namespace == "https://mws.amazonservices.com/Orders/2013-09-01"
    assert [etree.QName(c).localname for c in root] == ["Error", "RequestId"]
    assert [etree.QName(c).localname for c in root[0]] == ["Type", "Code", "Message"]
    assert root.findtext("{*}RequestId") == response.headers["x-mws-request-id"]
    assert response.headers["Content-Type"].startswith("text/xml")


def test_auth_token_must_match_when_configured():
    with Sandbox(seed=1, orders=5, quotas=False, auth_token="amzn.mws.4ea38b7b-f563-7709-4bae-87aeaEXAMPLE") as sb:
        mws = Caller(sb)
        token = sb.credentials["mwsAuthToken"]
        assert mws.call("GetServiceStatus", MWSAuthToken=token).status_code == 200
        assert error_of(mws.call("GetServiceStatus"))[:3] == (401, "Sender", "AccessDenied")
        assert error_of(mws.call("GetServiceStatus", MWSAuthToken=token + "x"))[2] == "AccessDenied"


def test_auth_token_is_optional_when_not_configured(mws):
    assert mws.call("GetServiceStatus", MWSAuthToken="amzn.mws.anything").status_code == 200


def test_requests_log_keeps_params_without_signature(shared_sandbox, mws):
    mws.call("GetServiceStatus")
    record = shared_sandbox.requests[-1]
    assert (record.action, record.status) == ("GetServiceStatus", 200)
    assert "Signature" not in record.params and record.params["Action"] == "GetServiceStatus"


# -- the canonical string itself ------------------------------------------------------------

def test_published_vectors():
    """Published SigV2 vectors through the sandbox's own verifier: the AWS General Reference example, GET
    and POST, and the SubmitFeed example of the MWS Developer Guide's signing page."""
    params = {"AWSAccessKeyId": "AKIAIOSFODNN7EXAMPLE", "Action": "DescribeJobFlows",
              "SignatureMethod": "HmacSHA256", "SignatureVersion": "2", "Timestamp": "2011-10-03T15:19:30",
              "Version": "2009-03-31"}
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    for verb, expected in (("GET", "i91nKc4PWAt0JJIdXwz9HxZCJDdiy6cf/Mj6vPxyYIs="),
                           ("POST", "wseguMzBRgA/4/fan8ZwEa0PIF+ws4WFbTJcG1ts5RY=")):
        text = auth.string_to_sign(verb, "elasticmapreduce.amazonaws.com", "/", params)
        assert auth.compute_signature(secret, text, "HmacSHA256") == expected
    feed = {"AWSAccessKeyId": "0PExampleR2", "Action": "SubmitFeed", "FeedType": "_POST_INVENTORY_AVAILABILITY_DATA_",
            "MWSAuthToken": "amzn.mws.4ea38b7b-f563-7709-4bae-87aeaEXAMPLE", "Marketplace": "ATExampleER",
            "SellerId": "A1ExampleE6", "SignatureMethod": "HmacSHA256", "SignatureVersion": "2",
            "Timestamp": "2009-08-20T01:10:27.607Z", "Version": "2009-01-01"}
    text = auth.string_to_sign("POST", "mws.amazonservices.com", "/Feeds/2009-01-01", feed)
    assert "&MWSAuthToken=amzn.mws.4ea38b7b-f563-7709-4bae-87aeaEXAMPLE&Marketplace=ATExampleER&" in text
    assert auth.compute_signature("my_secret_key", text, "HmacSHA256") == "8d1Vcjzd+PGYyjjvM3fCLy8XBC0OKUiU3b/IrN5961A="


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=12).filter(lambda s: s != "Signature"),
                       st.text(max_size=20), max_size=8))
def test_canonical_query_agrees_with_the_component_signer(params):
    # Two independent implementations of DG_QueryString must agree on any input.
    assert auth.canonical_query(params) == signing.canonical_query(params)


def test_connection_survives_many_keep_alive_requests(mws):
    session = requests.Session()
    for _ in range(5):
        signed = mws.signed("GetServiceStatus")
        response = session.post(mws.sandbox.url + ORDERS_PATH, data=signing.encode_query(signed),
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert response.status_code == 200


def test_urllib_error_bodies_are_readable(shared_sandbox):
    request = urllib.request.Request(shared_sandbox.url + ORDERS_PATH, data=b"Action=ListOrders", method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=10)
    root = etree.fromstring(caught.value.read())
    assert root.findtext("{*}Error/{*}Code") == "InvalidParameterValue"
