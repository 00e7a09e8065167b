"""Product Type Definitions API 2020-09-01: search, definitions, and the schema served at the definition's link,
in the shape of Amazon's meta-schema (Amazon's keywords included)."""

import base64
import hashlib
import json

import jsonschema
import pytest
import requests

from mws_sandbox import Sandbox
from mws_sandbox.spapi.meta_schema import META_SCHEMA_ID, ProductTypeValidator, check_schema
from mws_sandbox.spapi.product_types import build

from .catalogue_client import DE, US, Client, error_of

SEARCH = "/definitions/2020-09-01/productTypes"


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox(seed=17, orders=5, quotas=False) as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def client(sandbox):
    return Client(sandbox)


def definition(client, name, **params):
    answer = client.call("GET", f"{SEARCH}/{name}", params={"marketplaceIds": US, **params})
    assert answer.status_code == 200, answer.text
    return answer.body


def download(link):
    answer = requests.get(link["resource"], timeout=10)
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/json"
    return answer.content


def test_search_by_keywords_or_item_name(client):
    everything = client.call("GET", SEARCH, params={"marketplaceIds": US}).body
    assert {t["name"] for t in everything["productTypes"]} == {"PRODUCT", "SHIRT", "HAIRBAND", "TOY_FIGURE"}
    assert all(t["marketplaceIds"] == [US] for t in everything["productTypes"])
    shirts = client.call("GET", SEARCH, params={"marketplaceIds": US, "keywords": "t-shirt,clothing"}).body
    assert [t["name"] for t in shirts["productTypes"]] == ["SHIRT"]
    assert shirts["productTypeVersion"] == everything["productTypeVersion"]
    named = client.call("GET", SEARCH, params={"marketplaceIds": US, "itemName": "Velvet Hairband for girls"}).body
    assert [t["name"] for t in named["productTypes"]] == ["HAIRBAND"]
    assert client.call("GET", SEARCH, params={"marketplaceIds": US, "keywords": "spaceship"}).body["productTypes"] == []
    for params, named in (({}, "marketplaceIds"), ({"marketplaceIds": US, "keywords": "toy", "itemName": "Toy"},
                                                    "itemName"),
                          ({"marketplaceIds": "XX"}, "marketplaceIds[0]")):
        answer = client.call("GET", SEARCH, params=params)
        assert error_of(answer)[:2] == (400, "InvalidInput") and named in error_of(answer)[2]
    assert error_of(client.call("GET", SEARCH, params={"marketplaceIds": DE}))[:2] == (403, "Unauthorized")


def test_a_definition_points_to_its_schema_and_the_meta_schema(client):
    found = definition(client, "HAIRBAND")
    assert (found["productType"], found["displayName"], found["requirements"], found["requirementsEnforced"],
            found["locale"], found["marketplaceIds"]) == ("HAIRBAND", "Hairband", "LISTING", "ENFORCED", "en_US", [US])
    assert found["productTypeVersion"]["latest"] is True
    assert "item_name" in found["propertyGroups"]["product_identity"]["propertyNames"]
    body = download(found["schema"]["link"])
    assert found["schema"]["checksum"] == base64.b64encode(hashlib.md5(body).digest()).decode()
    schema = json.loads(body)
    assert schema["$schema"] == META_SCHEMA_ID and schema["$id"].endswith("/schema/v1/HAIRBAND")
    meta = json.loads(download(found["metaSchema"]["link"]))
    assert meta["$id"] == META_SCHEMA_ID
    jsonschema.Draft201909Validator(meta).validate(schema)  # the schema is an instance of the meta-schema served
    check_schema(schema)
    name = schema["properties"]["item_name"]
    assert name["selectors"] == ["marketplace_id", "language_tag"] and name["maxUniqueItems"] == 1
    assert name["items"]["properties"]["value"]["maxUtf8ByteLength"] == 200
    availability = schema["properties"]["fulfillment_availability"]["items"]["properties"]
    assert "marketplace_id" not in availability and availability["lead_time_to_ship_max_days"]["maximum"] == 30
    offer = schema["properties"]["purchasable_offer"]
    assert offer["selectors"] == ["marketplace_id", "currency", "audience"]
    assert {"our_price", "discounted_price", "quantity_discount_plan", "minimum_seller_allowed_price",
            "maximum_seller_allowed_price"} <= set(offer["items"]["properties"])
    images = {n for n in schema["properties"] if n.endswith("image_locator") or "image_locator_" in n}
    assert images == {"main_product_image_locator", "swatch_product_image_locator",
                      *(f"other_product_image_locator_{n}" for n in range(1, 9))}
    assert {"child_parent_sku_relationship", "parentage_level"} <= set(schema["properties"])


def test_requirements_change_what_the_schema_requires(client):
    listing = json.loads(download(definition(client, "SHIRT")["schema"]["link"]))
    offer = json.loads(download(definition(client, "SHIRT", requirements="LISTING_OFFER_ONLY")["schema"]["link"]))
    product = json.loads(download(definition(client, "SHIRT", requirements="LISTING_PRODUCT_ONLY")["schema"]["link"]))
    loose = json.loads(download(definition(client, "SHIRT", requirementsEnforced="NOT_ENFORCED")["schema"]["link"]))
    assert set(listing["required"]) == {"item_name", "brand", "color", "size", "department", "condition_type"}
    assert "allOf" in listing  # externally_assigned_product_identifier unless merchant_suggested_asin
    assert offer["required"] == ["condition_type"]
    assert set(product["required"]) == set(listing["required"]) - {"condition_type"}
    assert "required" not in loose and "allOf" not in loose
    validator = ProductTypeValidator(listing)
    missing = {e.message for e in validator.iter_errors({"item_name": [{"value": "x", "language_tag": "en_US"}]})}
    assert "'externally_assigned_product_identifier' is a required property" in missing


def test_unknown_types_versions_and_parameters(client):
    assert error_of(client.call("GET", f"{SEARCH}/SPACESHIP", params={"marketplaceIds": US}))[:2] == (404, "NotFound")
    assert error_of(client.call("GET", f"{SEARCH}/SHIRT", params={"marketplaceIds": US,
                                                                 "productTypeVersion": "U0"}))[:2] == (404, "NotFound")
    assert definition(client, "SHIRT", productTypeVersion="RELEASE_CANDIDATE")["productTypeVersion"]["latest"]
    for params, named in (({"marketplaceIds": f"{US},A2EUQ1WTGCTBG2"}, "marketplaceIds"),
                          ({"marketplaceIds": US, "requirements": "OFFER"}, "requirements"),
                          ({"marketplaceIds": US, "locale": "xx_XX"}, "locale")):
        answer = client.call("GET", f"{SEARCH}/SHIRT", params=params)
        assert error_of(answer)[:2] == (400, "InvalidInput") and named in error_of(answer)[2]
    assert requests.get(f"{client.base}/s3/selling-partner-definitions/schema/SHIRT/U0/LISTING-ENFORCED.json",
                        timeout=10).status_code == 404


def test_the_definition_files_are_what_build_writes():
    for name, content in build.rendered().items():
        assert (build.HERE / name).read_text(encoding="utf-8") == content, f"run python -m {build.__name__}"
        check_schema(json.loads(content)["schema"])


def test_the_usage_plan_is_5_per_second_burst_10():
    # Refills a millionth as fast: the bucket's burst is all the test can spend, however slow the machine.
    with Sandbox(seed=2, orders=5, time_scale=1e-6) as sandbox:
        client = Client(sandbox)
        answers = [client.call("GET", SEARCH, params={"marketplaceIds": US}) for _ in range(11)]
        assert [a.status_code for a in answers] == [200] * 10 + [429]
        assert answers[0].headers["x-amzn-RateLimit-Limit"] == "5"
