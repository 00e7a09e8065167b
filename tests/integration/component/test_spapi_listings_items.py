"""The listings actions by perItem (submitMode) on SP-API against the sandbox over real HTTP: one Listings
Items call per item, Amazon's issues per SKU in the output; product types as the select model and the
in-metadata; the refusals and the product-type validation before anything is sent; perItem on MWS refused."""

import jsonschema
import pytest

from mws_component import schemas
from mws_component.actions import (change_product_image, change_product_price, establish_product_relationships,
                                   submit_inventory, submit_product, submit_product_from_payload)
from mws_component.spapi.listings.product_types import DEFINITIONS
from mws_sandbox import Sandbox

from .conftest import TIME_SCALE
from .functions import run

US = "ATVPDKIKX0DER"
LISTINGS_CALLS = ("putListingsItem", "patchListingsItem", "deleteListingsItem")
OUT = schemas.load("listingsItems.out.json")


@pytest.fixture(scope="module")
def listings_sandbox():
    with Sandbox(seed=21, orders=10, time_scale=TIME_SCALE) as sb:
        yield sb


@pytest.fixture
def sb(listings_sandbox, fast_quotas):
    return listings_sandbox


@pytest.fixture
def cfg(sb):
    return dict(sb.spapi_credentials)


def results(name, cfg, body, **fields):
    """The perItem output (checked against schemas/listingsItems.out.json)."""
    ctx = run(name, cfg, body, submitMode="perItem", **fields)
    errors = [e for e in ctx.events if e["event"] == "error"]
    assert not errors, errors
    [out] = [e["body"] for e in ctx.events if e["event"] == "data"]
    jsonschema.Draft7Validator(schemas._to_draft7(OUT)).validate(out)
    return out["results"]


def refused(name, cfg, body, **fields):
    ctx = run(name, cfg, body, **fields)
    [error] = [e["error"] for e in ctx.events if e["event"] == "error"]
    assert not [e for e in ctx.events if e["event"] == "data"]
    return error


def listings_calls(sb):
    return sum(sb.requests.count(action=name) for name in LISTINGS_CALLS)


def text(value):
    return [{"value": value}]      # marketplace_id and language_tag are filled in by the component


SHIRT = {"item_name": text("Linen shirt, blue"), "brand": text("Sandbox Wear"), "color": text("Blue"),
         "size": text("M"), "department": text("mens"), "condition_type": [{"value": "new_new"}],
         "externally_assigned_product_identifier": [{"type": "ean", "value": "4006381333931"}],
         "purchasable_offer": [{"currency": "USD", "audience": "ALL",
                                "our_price": [{"schedule": [{"value_with_tax": 24.5}]}]}],
         "fulfillment_availability": [{"fulfillment_channel_code": "DEFAULT", "quantity": 12}]}


def skus(sb, n):
    return sorted(sb.catalogue.skus())[:n]


# -- product types -------------------------------------------------------------------------------

def test_the_product_type_select_model_searches_with_the_keywords_typed(sb, cfg):
    every = submit_product.getProductTypes(cfg)
    assert {"SHIRT", "HAIRBAND", "PRODUCT"} <= set(every) and every["SHIRT"] == "Shirt"
    assert submit_product.getProductTypes(cfg | {"productTypeKeywords": "t-shirt"}) == {"SHIRT": "Shirt"}
    assert submit_product.getProductTypes(dict(sb.credentials)) == {}       # MWS: categories instead


def test_the_in_metadata_comes_from_the_product_types_definition_and_is_cached(sb, cfg):
    step = cfg | {"operation": "Upsert", "productType": "SHIRT"}
    model = submit_product.getMetaModel(step)
    item = model["in"]["properties"]["items"]["items"]["properties"]
    attributes = item["attributes"]["properties"]
    assert attributes["item_name"]["title"] == "Item Name" and attributes["item_name"]["required"] is True
    assert attributes["item_name"]["description"] == "The title shown to buyers"
    assert "at most 200 bytes in UTF-8" in attributes["item_name"]["items"]["properties"]["value"]["description"]
    assert item["sku"]["required"] is True
    assert model["out"] == schemas.load("submitFeed.out.json")
    assert submit_product.getMetaModel(step | {"submitMode": "perItem"})["out"] == OUT
    cached = [key for key in DEFINITIONS._entries if key[:2] == (US, "SHIRT")]
    assert len(cached) == 1 and cached[0][2][1] == "LISTING"
    submit_product.getMetaModel(step)
    assert [key for key in DEFINITIONS._entries if key[:2] == (US, "SHIRT")] == cached
    offer_only = submit_product.getMetaModel(step | {"requirements": "LISTING_OFFER_ONLY"})["in"]
    attrs = offer_only["properties"]["items"]["items"]["properties"]["attributes"]["properties"]
    assert "required" not in attrs["brand"]                                 # the offer-only schema's
    # on MWS the category metadata stays
    mws = submit_product.getMetaModel(dict(sb.credentials) | {"operation": "Upsert", "category": "Toys"})
    assert "productData" in mws["in"]["properties"]["items"]["items"]["properties"]


# -- every listings action by perItem ------------------------------------------------------------

def test_submit_product_through_a_product_type_with_one_issue_shown(sb, cfg):
    new, missing = "SHIRT-BLUE-M", "NO-SUCH-SKU-1"
    out = results("submitProduct", cfg, {"items": [
        {"sku": new, "attributes": SHIRT},
        {"sku": missing, "operationType": "PartialUpdate", "attributes": {"color": text("Red")}},
    ]}, operation="Upsert", productType="SHIRT")
    assert [(r["sku"], r["status"]) for r in out] == [(new, "ACCEPTED"), (missing, "INVALID")]
    assert out[0]["issues"] == [] and out[0]["submissionId"]
    [issue] = out[1]["issues"]      # the deliberate one: a partial update of a SKU without a listing
    assert issue["code"] == "99301" and issue["severity"] == "ERROR" and missing in issue["message"]
    product = sb.catalogue[new]
    assert (product["title"], product["quantity"], product["price"]) == \
        ("Linen shirt, blue", 12, {"amount": "24.50", "currency": "USD"})
    stored = product["spapi"]["attributes"]
    assert stored["item_name"] == [{"value": "Linen shirt, blue", "marketplace_id": US, "language_tag": "en_US"}]
    assert product["spapi"]["product_type"] == "SHIRT"
    # delete it again
    [gone] = results("submitProduct", cfg, {"sku": new}, operation="Delete", productType="SHIRT")
    assert gone["status"] == "ACCEPTED" and new not in sb.catalogue


def test_submit_product_from_payload_takes_each_items_product_type(sb, cfg):
    hairband = {"item_name": text("Velvet hairband"), "brand": text("Sandbox Hair"),
                "condition_type": [{"value": "new_new"}],
                "externally_assigned_product_identifier": [{"type": "ean", "value": "4006381333948"}]}
    out = results("submitProductFromPayload", cfg, {"items": [
        {"sku": "HB-1", "productType": "HAIRBAND", "attributes": hairband},
        {"sku": "SHIRT-2", "productType": "SHIRT", "attributes": SHIRT},
    ]}, operation="Upsert")
    assert [(r["sku"], r["status"], r["issues"]) for r in out] == [("HB-1", "ACCEPTED", []),
                                                                   ("SHIRT-2", "ACCEPTED", [])]
    assert sb.catalogue["HB-1"]["spapi"]["product_type"] == "HAIRBAND"
    error = refused("submitProductFromPayload", cfg, {"items": [{"sku": "HB-2", "attributes": hairband}]},
                    operation="Upsert", submitMode="perItem")
    assert error["field"] == "body.items[0].productType"
    error = refused("submitProductFromPayload", cfg, {"sku": "HB-2", "productType": "HAIRBAND", "requirements": "ALL",
                                                      "attributes": hairband}, operation="Upsert", submitMode="perItem")
    assert error["field"] == "body.requirements"


def test_submit_inventory_per_item(sb, cfg):
    first, second = skus(sb, 2)
    out = results("submitInventory", cfg, {"items": [
        {"sku": first, "quantity": 7, "fulfillmentLatency": 3, "restockDate": "2027-01-15"},
        {"sku": second, "quantity": 0}]})
    assert [(r["sku"], r["status"]) for r in out] == [(first, "ACCEPTED"), (second, "ACCEPTED")]
    assert (sb.catalogue[first]["quantity"], sb.catalogue[first]["fulfillment_latency"]) == (7, 3)
    assert sb.catalogue[second]["quantity"] == 0
    assert sb.catalogue[first]["spapi"]["attributes"]["fulfillment_availability"] == [
        {"fulfillment_channel_code": "DEFAULT", "quantity": 7, "lead_time_to_ship_max_days": 3,
         "restock_date": "2027-01-15"}]


def test_change_product_price_per_item_with_a_b2b_offer(sb, cfg):
    [sku] = skus(sb, 1)
    [out] = results("changeProductPrice", cfg, {
        "sku": sku, "standardPrice": {"value": "19.99", "currency": "USD"},
        "sale": {"startDate": "2027-01-01T00:00:00Z", "endDate": "2027-02-01T00:00:00Z",
                 "salePrice": {"value": "17.50", "currency": "USD"}},
        "businessPrice": "18.00", "quantityPriceType": "percent",
        "quantityPrice": {"quantityPrice1": "5", "quantityLowerBound1": "10"}})
    assert out["status"] == "ACCEPTED" and out["issues"] == []
    product = sb.catalogue[sku]
    assert product["price"] == {"amount": "19.99", "currency": "USD"} and product["business_price"] == "18.00"
    assert product["sale"]["amount"] == "17.50"
    offers = {o["audience"]: o for o in product["spapi"]["attributes"]["purchasable_offer"]}
    assert offers["B2B"]["quantity_discount_plan"] == [{"schedule": [
        {"discount_type": "percent", "levels": [{"lower_bound": 10, "value": 5}]}]}]


def test_change_product_image_per_item(sb, cfg):
    [sku] = skus(sb, 1)
    out = results("changeProductImage", cfg, {"items": [
        {"sku": sku, "imageType": "Main", "imageLocation": "https://example.com/main.jpg"},
        {"sku": sku, "imageType": "PT3", "imageLocation": "https://example.com/pt3.jpg"}]})
    assert [r["status"] for r in out] == ["ACCEPTED", "ACCEPTED"]
    assert sb.catalogue[sku]["images"] == {"Main": "https://example.com/main.jpg", "PT3": "https://example.com/pt3.jpg"}
    [gone] = results("changeProductImage", cfg, {"sku": sku, "imageType": "PT3"}, operation="Delete")
    assert gone["status"] == "ACCEPTED" and sb.catalogue[sku]["images"] == {"Main": "https://example.com/main.jpg"}


def test_establish_product_relationships_per_item(sb, cfg):
    parent, child_a, child_b = skus(sb, 3)
    out = results("establishProductRelationships", cfg, {"parentSKU": parent, "relation": [
        {"sku": child_a, "type": "Variation"}, {"sku": child_b, "type": "Variation"}]})
    assert [(r["sku"], r["status"]) for r in out] == [(child_a, "ACCEPTED"), (child_b, "ACCEPTED")]
    assert {"sku": child_a, "type": "Variation"} in sb.catalogue[parent]["relations"]
    assert {"sku": child_b, "type": "Variation"} in sb.catalogue[parent]["relations"]
    assert sb.catalogue[child_a]["spapi"]["attributes"]["parentage_level"] == [{"value": "child", "marketplace_id": US}]


# -- refusals: named, nothing sent ---------------------------------------------------------------

@pytest.mark.parametrize("name, bad, field, said", [
    ("submitInventory", {"available": "true"}, "body.items[1].available", "no SP-API counterpart"),
    ("establishProductRelationships", {}, "body.items[1].relation[0].type", "only variation"),
    ("changeProductImage", {}, "body.items[1].imageType", "no listings image attribute"),
])
def test_values_without_an_sp_api_counterpart_are_refused_naming_the_field(sb, cfg, name, bad, field, said):
    first, second = skus(sb, 2)
    good = {"submitInventory": {"sku": first, "quantity": 3},
            "establishProductRelationships": {"parentSKU": first, "relation": [{"sku": second, "type": "Variation"}]},
            "changeProductImage": {"sku": first, "imageType": "Main", "imageLocation": "https://example.com/a.jpg"}}
    wrong = {"submitInventory": {"sku": second, **bad},
             "establishProductRelationships": {"parentSKU": first, "relation": [{"sku": second, "type": "Accessory"}]},
             "changeProductImage": {"sku": first, "imageType": "BKLB", "imageLocation": "https://example.com/b.jpg"}}
    before = listings_calls(sb)
    error = refused(name, cfg, {"items": [good[name], wrong[name]]}, submitMode="perItem")
    assert error["field"] == field and said in error["message"], error
    assert listings_calls(sb) == before     # the good item before it was not sent either


def test_product_type_validation_with_amazons_keywords_refuses_before_any_call(sb, cfg):
    before = listings_calls(sb)
    too_long = {**SHIRT, "item_name": text("é" * 101)}        # 101 characters, 202 UTF-8 bytes: over 200
    error = refused("submitProduct", cfg, {"items": [{"sku": "PT-OK", "attributes": SHIRT},
                                                     {"sku": "PT-BYTES", "attributes": too_long}]},
                    operation="Upsert", productType="SHIRT", submitMode="perItem")
    assert error["field"] == "body.items[1].attributes.item_name[0].value"
    assert "202 bytes" in error["message"]
    offer = SHIRT["purchasable_offer"][0]
    two_offers = {**SHIRT, "purchasable_offer": [offer, {**offer, "our_price": [{"schedule": [{"value_with_tax": 9}]}]}]}
    error = refused("submitProduct", cfg, {"sku": "PT-UNIQUE", "attributes": two_offers}, operation="Upsert",
                    productType="SHIRT", submitMode="perItem")
    assert error["field"] == "body.attributes.purchasable_offer" and "maxUniqueItems" in error["message"]
    assert listings_calls(sb) == before and not {"PT-OK", "PT-BYTES", "PT-UNIQUE"} & set(sb.catalogue.skus())


def test_an_unknown_product_type_is_named(sb, cfg):
    error = refused("submitProduct", cfg, {"sku": "X-1", "attributes": SHIRT}, operation="Upsert",
                    productType="NO_SUCH_TYPE", submitMode="perItem")
    assert error["field"] == "productType"


def test_per_item_on_mws_credentials_is_refused_naming_submit_mode(sb):
    [sku] = skus(sb, 1)
    before = len(sb.requests)
    error = refused("changeProductPrice", dict(sb.credentials),
                    {"sku": sku, "standardPrice": {"value": "5.00", "currency": "USD"}}, submitMode="perItem")
    assert error["field"] == "submitMode" and "perItem needs SP-API credentials" in error["message"]
    assert len(sb.requests) == before
    error = refused("submitProduct", dict(sb.credentials), {"sku": sku}, operation="Delete", category="Toys",
                    productType="SHIRT")
    assert error["field"] == "productType"


def test_the_out_metadata_follows_submit_mode(cfg):
    for module in (submit_inventory, change_product_price, change_product_image, establish_product_relationships):
        assert module.getMetaModel(cfg)["out"] == schemas.load("submitFeed.out.json")
        model = module.getMetaModel(cfg | {"submitMode": "perItem"})
        assert model["out"] == OUT
    inventory = submit_inventory.getMetaModel(cfg)["in"]["properties"]["items"]["items"]["properties"]
    assert "available" not in inventory and "productType" in inventory
    assert submit_product_from_payload.getMetaModel(cfg | {"submitMode": "perItem"})["out"] == OUT


# -- the quota used up -------------------------------------------------------------------------

def quota_gone_at(monkeypatch, call):
    """The real send_one, except that from the `call`-th call on no quota token comes (nothing sent)."""
    from mws_component.errors import QuotaExhausted
    from mws_component.spapi import listings_items
    real, count = listings_items.send_one, [0]

    def send_one(*args, **kwargs):
        count[0] += 1
        if count[0] >= call:
            raise QuotaExhausted("patchListingsItem: the next request is allowed in 30 s", retry_after=30)
        return real(*args, **kwargs)
    monkeypatch.setattr(listings_items, "send_one", send_one)


def test_no_quota_for_the_first_call_rebounds_the_message(sb, cfg, monkeypatch):
    quota_gone_at(monkeypatch, 1)
    before = listings_calls(sb)
    ctx = run("submitInventory", cfg, {"sku": skus(sb, 1)[0], "quantity": 4}, submitMode="perItem")
    assert [e["event"] for e in ctx.events] == ["rebound"] and listings_calls(sb) == before


def test_a_quota_used_up_mid_batch_emits_what_was_sent_and_gives_back_the_rest(sb, cfg, monkeypatch):
    quota_gone_at(monkeypatch, 3)
    items = [{"sku": sku, "quantity": 20 + n} for n, sku in enumerate(skus(sb, 4))]
    before = listings_calls(sb)
    ctx = run("submitInventory", cfg, {"items": items}, submitMode="perItem")
    [out] = [e["body"] for e in ctx.events if e["event"] == "data"]
    assert [e["event"] for e in ctx.events] == ["data"]
    assert [r["sku"] for r in out["results"]] == [items[0]["sku"], items[1]["sku"]]
    assert out["complete"] is False and out["remaining"] == {"items": items[2:]}
    assert [n["index"] for n in out["notSent"]] == [2, 3]
    assert listings_calls(sb) == before + 2
    assert [sb.catalogue[i["sku"]]["quantity"] for i in items[:2]] == [20, 21]
