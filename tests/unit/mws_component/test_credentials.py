"""Credentials fields and endpoints."""

import pytest

from mws_component.credentials import MwsCredentials as Credentials, credentials_from_cfg
from mws_component.errors import ConfigurationError
from mws_component.marketplaces import MARKETPLACES, resolve_endpoint

GOOD = {"sellerId": "A1SELLER23", "accessKeyId": "AKIAEXAMPLE0001", "secretAccessKey": "s3cr3t/KEY+x",
        "marketplaceId": "A1PA6795UKMFR9"}


def test_endpoint_follows_the_marketplace():
    assert Credentials.from_cfg(GOOD).endpoint == "https://mws-eu.amazonservices.com"
    jp = Credentials.from_cfg(GOOD | {"marketplaceId": "A1VC38T7YXB528"})
    assert jp.endpoint == "https://mws.amazonservices.jp"


def test_the_full_marketplace_table():
    assert len(MARKETPLACES) == 22
    assert len({m.marketplace_id for m in MARKETPLACES}) == 22
    india = next(m for m in MARKETPLACES if m.country == "IN")
    assert india.region == "EU" and india.endpoint == "https://mws.amazonservices.in"


@pytest.mark.parametrize("endpoint, expected", [
    ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
    ("http://localhost:9/", "http://localhost:9"),
    ("http://[::1]:8080", "http://[::1]:8080"),
    ("https://gateway.example.com/mws", "https://gateway.example.com/mws"),
])
def test_endpoint_override(endpoint, expected):
    assert resolve_endpoint("ATVPDKIKX0DER", endpoint) == expected


@pytest.mark.parametrize("endpoint", ["http://mws.example.com", "http://10.0.0.5:8080", "ftp://x", "https://", "x",
                                      "https://h/?a=1"])
def test_plain_http_only_on_loopback_and_urls_only(endpoint):
    with pytest.raises(ConfigurationError) as caught:
        Credentials.from_cfg(GOOD | {"endpoint": endpoint})
    assert caught.value.field == "endpoint"


@pytest.mark.parametrize("field, value", [("sellerId", ""), ("sellerId", "bad id!"), ("accessKeyId", None),
                                          ("secretAccessKey", "  "), ("marketplaceId", "XX"), ("sellerId", 12)])
def test_bad_credentials_name_the_field(field, value):
    with pytest.raises(ConfigurationError) as caught:
        Credentials.from_cfg(GOOD | {field: value})
    assert caught.value.field == field and field in str(caught.value)


@pytest.mark.parametrize("token, sent", [("", None), ("test", None), ("amzn.mws.abc", "amzn.mws.abc")])
def test_auth_token_only_when_real(token, sent):
    assert Credentials.from_cfg(GOOD | {"mwsAuthToken": token}).mws_auth_token == sent


def test_repr_hides_secrets():
    creds = Credentials.from_cfg(GOOD | {"mwsAuthToken": "amzn.mws.tok3n"})
    assert "s3cr3t" not in repr(creds) and "tok3n" not in repr(creds)


def test_the_api_named_in_the_cfg_picks_the_credentials_and_mws_is_the_default():
    assert credentials_from_cfg(GOOD).api == credentials_from_cfg(GOOD | {"api": "mws"}).api == "mws"
    assert isinstance(credentials_from_cfg(GOOD), Credentials)
    with pytest.raises(ConfigurationError) as refused:
        credentials_from_cfg(GOOD | {"api": "soap"})
    assert refused.value.field == "api"


def test_credentials_never_show_their_secrets():
    creds = credentials_from_cfg(GOOD | {"secretAccessKey": "very-secret-key", "mwsAuthToken": "amzn.mws.tok3n"})
    assert "very-secret-key" not in repr(creds) and "amzn.mws.tok3n" not in repr(creds)
