"""Signature Version 2 against the published vectors (MWS_API.md §1.8, §1.9)."""

from datetime import datetime, timezone

import pytest

from mws_component.mws import signing

AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
EMR_PARAMS = {"AWSAccessKeyId": "AKIAIOSFODNN7EXAMPLE", "Action": "DescribeJobFlows",
              "SignatureMethod": "HmacSHA256", "SignatureVersion": "2",
              "Timestamp": "2011-10-03T15:19:30", "Version": "2009-03-31"}


def test_vector1_aws_reference_get():
    text = signing.string_to_sign("GET", "elasticmapreduce.amazonaws.com", "/", EMR_PARAMS)
    assert text == ("GET\nelasticmapreduce.amazonaws.com\n/\nAWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Action=DescribeJobFlows"
                    "&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2011-10-03T15%3A19%3A30&Version=2009-03-31")
    assert signing.signature(AWS_SECRET, text) == "i91nKc4PWAt0JJIdXwz9HxZCJDdiy6cf/Mj6vPxyYIs="


def test_vector2_same_request_as_post():
    text = signing.string_to_sign("POST", "elasticmapreduce.amazonaws.com", "/", EMR_PARAMS)
    assert signing.signature(AWS_SECRET, text) == "wseguMzBRgA/4/fan8ZwEa0PIF+ws4WFbTJcG1ts5RY="


def test_vector3_product_advertising_sorting_and_commas():
    params = {"Service": "AWSECommerceService", "AWSAccessKeyId": "AKIAIOSFODNN7EXAMPLE", "AssociateTag": "mytag-20",
              "Operation": "ItemLookup", "ItemId": "0679722769", "ResponseGroup": "Images,ItemAttributes,Offers,Reviews",
              "Version": "2013-08-01", "Timestamp": "2014-08-18T12:00:00Z"}
    text = signing.string_to_sign("GET", "webservices.amazon.com", "/onca/xml", params)
    assert text.endswith("AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&AssociateTag=mytag-20&ItemId=0679722769&Operation=ItemLookup"
                         "&ResponseGroup=Images%2CItemAttributes%2COffers%2CReviews&Service=AWSECommerceService"
                         "&Timestamp=2014-08-18T12%3A00%3A00Z&Version=2013-08-01")
    assert signing.signature("1234567890", text) == "j7bZM0LXZ9eXeZruTqWm2DIvDYVUU3wxPPpp+iXxzQc="


MWS_FEED_PARAMS = {"AWSAccessKeyId": "0PExampleR2", "Action": "SubmitFeed", "FeedType": "_POST_INVENTORY_AVAILABILITY_DATA_",
                   "MWSAuthToken": "amzn.mws.4ea38b7b-f563-7709-4bae-87aeaEXAMPLE", "Marketplace": "ATExampleER",
                   "SellerId": "A1ExampleE6", "SignatureMethod": "HmacSHA256", "SignatureVersion": "2",
                   "Timestamp": "2009-08-20T01:10:27.607Z", "Version": "2009-01-01"}


@pytest.mark.parametrize("secret, expected", [
    (AWS_SECRET, "qiCPMpNmmwOUYPcxh6QQg5DSK4e/2Q/smSGlC+GvcmA="),
    ("my_secret_key", "8d1Vcjzd+PGYyjjvM3fCLy8XBC0OKUiU3b/IrN5961A="),
])
def test_vector4_mws_submit_feed(secret, expected):
    text = signing.string_to_sign("POST", "mws.amazonservices.com", "/Feeds/2009-01-01", MWS_FEED_PARAMS)
    # MWSAuthToken sorts before Marketplace: byte order, 'W' (0x57) < 'a' (0x61)
    assert "&MWSAuthToken=amzn.mws.4ea38b7b-f563-7709-4bae-87aeaEXAMPLE&Marketplace=ATExampleER&" in text
    assert signing.signature(secret, text) == expected


def test_product_advertising_documentation_vector():
    params = {"AWSAccessKeyId": "00000000000000000000", "ItemId": "0679722769", "Operation": "ItemLookup",
              "ResponseGroup": "ItemAttributes,Offers,Images,Reviews", "Service": "AWSECommerceService",
              "Timestamp": "2009-01-01T12:00:00Z", "Version": "2009-01-06"}
    text = signing.string_to_sign("GET", "webservices.amazon.com", "/onca/xml", params)
    assert signing.signature("1234567890", text) == "Nace+U3Az4OhN7tISqgs1vdLBHBEijWcBeCqL5xN9xg="


def test_canonical_timestamp_fragment():
    params = {"SignatureMethod": "HmacSHA256", "SignatureVersion": "2", "Timestamp": "2017-08-12T19:40:35Z",
              "Version": "2017-01-01"}
    assert signing.canonical_query(params).endswith(
        "SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2017-08-12T19%3A40%3A35Z&Version=2017-01-01")


@pytest.mark.parametrize("raw, encoded", [
    ("a b", "a%20b"), ("*", "%2A"), ("+", "%2B"), ("/", "%2F"), (":", "%3A"), (",", "%2C"), ("=", "%3D"),
    ("&", "%26"), ("~", "~"), ("-_.", "-_."), ("é", "%C3%A9"), ("日本", "%E6%97%A5%E6%9C%AC"), ("%", "%25"),
    ("AZaz09", "AZaz09"), ("\n", "%0A"), ("😀", "%F0%9F%98%80"),
])
def test_percent_encoding_rfc3986(raw, encoded):
    assert signing.percent_encode(raw) == encoded


def test_signature_is_excluded_and_empty_values_kept():
    assert signing.canonical_query({"B": "", "A": "1", "Signature": "x"}) == "A=1&B="


def test_byte_order_sort_uppercase_first():
    assert signing.canonical_query({"a": "1", "B": "2", "MarketplaceId.Id.1": "3", "MWSAuthToken": "4"}) == \
        "B=2&MWSAuthToken=4&MarketplaceId.Id.1=3&a=1"


@pytest.mark.parametrize("url, host", [
    ("https://MWS.AmazonServices.com", "mws.amazonservices.com"),
    ("https://mws.amazonservices.com:443/x", "mws.amazonservices.com"),
    ("http://127.0.0.1:8080", "127.0.0.1:8080"),
    ("http://localhost:80", "localhost"),
    ("https://example.com:8443", "example.com:8443"),
])
def test_canonical_host_lowercase_no_default_port(url, host):
    assert signing.canonical_host(url) == host


def test_empty_path_signs_as_slash():
    assert signing.string_to_sign("post", "H", "", {}).split("\n")[:3] == ["POST", "h", "/"]


def test_timestamp_utc_milliseconds_z():
    when = datetime(2009, 8, 20, 1, 10, 27, 607999, tzinfo=timezone.utc)
    assert signing.timestamp(when) == "2009-08-20T01:10:27.607Z"
    assert signing.timestamp().endswith("Z") and len(signing.timestamp()) == 24


def test_hmac_sha1_supported():
    # RFC 2202 test case 2: HMAC-SHA1("Jefe", "what do ya want for nothing?") = effcdf6ae5eb2fa2d27416d5f184df9c259a7c79
    assert signing.signature("Jefe", "what do ya want for nothing?", "HmacSHA1") == "7/zfauXrL6LSdBbV8YTfnCWafHk="


@pytest.mark.parametrize("data, expected", [
    (b"abc\tdef", "Zj+Bh1BJ8HzBb9ToK28qFQ=="),
    (b"mws", "mA5nPbh1CSx9M3dbkr3Cyg=="),
    (b"sku\tprice\tquantity\nwidget\t\t0\n", "iUI5qlSDSrZOHRgvj4amUQ=="),
    (b"Feed Processing Summary:\n\tNumber of records processed\t\t1\n\tNumber of records successful\t\t1\n\n",
     "rkkx1Xv/k56/onrN0m7E/Q=="),
])
def test_md5_vectors(data, expected):
    assert signing.content_md5(data) == expected


def test_md5_of_the_documented_feed_sample(shared_dir):
    data = (shared_dir / "mws-samples/docs/SubmitFeed-example1.xml").read_bytes()
    assert len(data) == 1488
    assert signing.content_md5(data) == "4+qvAGCkaKM7S+cAH9btCg=="
