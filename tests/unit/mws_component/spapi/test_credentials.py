"""SP-API credentials: the marketplace → region → host table, the checks, api_of."""

import pytest

from mws_component import marketplaces as mws_marketplaces
from mws_component.errors import ConfigurationError
from mws_component.spapi.credentials import (BY_ID, LWA_TOKEN_URL, MARKETPLACES, REGIONS, SpApiCredentials,
                                             api_of, region_of)

SECRET = "amzn1.oa2-cs.v1.SECRET+MARKER/7f3e"
REFRESH = "Atzr|IwEBIREFRESH-MARKER+x/y=z"
GOOD = {"api": "spapi", "lwaClientId": "amzn1.application-oa2-client.0123456789abcdef",
        "lwaClientSecret": SECRET, "refreshToken": REFRESH, "sellerId": "A1EXAMPLE23",
        "marketplaceId": "A1PA6795UKMFR9"}


def test_table_has_every_marketplace_of_amazons_page_with_its_region():
    assert len(MARKETPLACES) == 23 and len(BY_ID) == 23
    regions = {m.country: m.region for m in MARKETPLACES}
    assert [c for c, r in regions.items() if r == "NA"] == ["CA", "US", "MX", "BR"]
    assert {c for c, r in regions.items() if r == "FE"} == {"SG", "AU", "JP"}
    assert regions["IN"] == regions["IE"] == regions["ZA"] == regions["UK"] == "EU"
    # the ids are MWS's (China aside, which SP-API does not serve)
    assert set(BY_ID) - set(mws_marketplaces.BY_ID) == {"A28R8C7NBKEWEA", "AE08WJ6YKNBMC"}
    assert set(mws_marketplaces.BY_ID) - set(BY_ID) == {"AAHKV2X7AFYLW"}
    assert {r.host for r in REGIONS.values()} == {"https://sellingpartnerapi-na.amazon.com",
                                                  "https://sellingpartnerapi-eu.amazon.com",
                                                  "https://sellingpartnerapi-fe.amazon.com"}


@pytest.mark.parametrize("marketplace_id, host", [
    ("ATVPDKIKX0DER", "https://sellingpartnerapi-na.amazon.com"),
    ("A2Q3Y263D00KWC", "https://sellingpartnerapi-na.amazon.com"),
    ("A21TJRUUN4KGV", "https://sellingpartnerapi-eu.amazon.com"),  # India: EU host
    ("A2VIGQ35RCS4UG", "https://sellingpartnerapi-eu.amazon.com"),  # MWS had its own host for AE
    ("A1VC38T7YXB528", "https://sellingpartnerapi-fe.amazon.com"),
    ("A39IBJ37TRP1C6", "https://sellingpartnerapi-fe.amazon.com"),
])
def test_the_marketplace_selects_the_region_host(marketplace_id, host):
    c = SpApiCredentials.from_cfg(GOOD | {"marketplaceId": marketplace_id})
    assert c.endpoint == host and c.region == region_of(marketplace_id)
    assert c.lwa_endpoint == LWA_TOKEN_URL == "https://api.amazon.com/auth/o2/token"
    assert c.api == "spapi" and c.seller_id == "A1EXAMPLE23"


def test_overrides_and_whitespace():
    c = SpApiCredentials.from_cfg(GOOD | {"endpoint": " http://127.0.0.1:8123/ ", "lwaEndpoint": "http://localhost:8123/auth/o2/token",
                                          "lwaClientId": "  amzn1.application-oa2-client.x  "})
    assert c.endpoint == "http://127.0.0.1:8123" and c.lwa_endpoint == "http://localhost:8123/auth/o2/token"
    assert c.lwa_client_id == "amzn1.application-oa2-client.x"
    assert SpApiCredentials.from_cfg(GOOD | {"endpoint": "https://gw.example.com/sp"}).endpoint == "https://gw.example.com/sp"


@pytest.mark.parametrize("field, value", [
    ("lwaClientId", None), ("lwaClientId", "   "), ("lwaClientId", 12), ("lwaClientId", "amzn1 client"),
    ("lwaClientSecret", None), ("lwaClientSecret", "two\nlines"), ("lwaClientSecret", GOOD["lwaClientId"]),
    ("refreshToken", None), ("refreshToken", "Atza|an-access-token"), ("refreshToken", "has space"),
    ("sellerId", None), ("sellerId", "A1-EXAMPLE"), ("marketplaceId", "XX"), ("marketplaceId", "AAHKV2X7AFYLW"),
    ("endpoint", "http://sellingpartnerapi-eu.amazon.com"), ("endpoint", "ftp://example.com"),
    ("endpoint", "https://example.com/?a=1"), ("lwaEndpoint", "http://api.amazon.com/auth/o2/token"),
    ("lwaEndpoint", "http://127.example.com/token"), ("lwaEndpoint", "not a url"),
])
def test_bad_fields_are_named(field, value):
    with pytest.raises(ConfigurationError) as caught:
        SpApiCredentials.from_cfg(GOOD | {field: value})
    assert caught.value.field == field and field in str(caught.value)
    for secret in (SECRET, REFRESH, "two\nlines", "Atza|an-access-token"):
        assert secret not in str(caught.value)


def test_secrets_and_repr():
    c = SpApiCredentials.from_cfg(GOOD)
    assert c.secrets == (SECRET, REFRESH)
    for text in (repr(c), str(c), f"{c}"):
        assert SECRET not in text and REFRESH not in text and "A1EXAMPLE23" in text
    assert c.seller_key == ("A1EXAMPLE23", "EU", "https://sellingpartnerapi-eu.amazon.com")


def test_api_of_a_saved_cfg():
    assert api_of({"api": "mws", "lwaClientId": "x"}) == "mws"
    assert api_of({"api": "spapi", "accessKeyId": "AKIAEXAMPLE"}) == "spapi"
    # saved before the field existed: MWS when it has an access key, SP-API otherwise
    assert api_of({"accessKeyId": "AKIAEXAMPLE", "secretAccessKey": "s"}) == "mws"
    assert api_of({"accessKeyId": "  ", "lwaClientId": "x"}) == "spapi"
    assert api_of({"api": "", "lwaClientId": "x"}) == "spapi"
    with pytest.raises(ConfigurationError) as caught:
        api_of({"api": "soap"})
    assert caught.value.field == "api"
