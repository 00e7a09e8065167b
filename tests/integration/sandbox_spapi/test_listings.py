"""Listings Items API 2021-08-01: put, patch, delete and get over the catalogue the feeds change, with issues
answered at once; every answer checked against the model."""

import pytest

from mws_sandbox import Sandbox

from .catalogue_client import DE, US, Client, error_of

TEXT = {"language_tag": "en_US", "marketplace_id": US}


def text(value):
    return [{"value": value, **TEXT}]


def offer(price, audience="ALL", **extra):
    return {"marketplace_id": US, "currency": "USD", "audience": audience,
            "our_price": [{"schedule": [{"value_with_tax": price}]}], **extra}


SHIRT = {
    "item_name": text("Linen shirt, blue"), "brand": text("Sandbox Wear"), "color": text("Blue"),
    "size": text("M"), "department": text("mens"),
    "externally_assigned_product_identifier": [{"type": "ean", "value": "4006381333931", "marketplace_id": US}],
    "condition_type": [{"value": "new_new", "marketplace_id": US}],
    "purchasable_offer": [offer(24.5)],
    "fulfillment_availability": [{"fulfillment_channel_code": "DEFAULT", "quantity": 12}],
}


@pytest.fixture
def sandbox():
    with Sandbox(seed=13, orders=20, quotas=False) as sandbox:
        yield sandbox


@pytest.fixture
def client(sandbox):
    return Client(sandbox)


def test_put_creates_a_listing_the_catalogue_and_get_show(client, sandbox):
    answer = client.put_item("SHIRT-BLUE-M", "SHIRT", SHIRT, includedData="identifiers,issues")
    assert answer.status_code == 200
    assert answer.body["status"] == "ACCEPTED" and answer.body["issues"] == [] and answer.body["submissionId"]
    product = sandbox.catalogue["SHIRT-BLUE-M"]
    assert (product["title"], product["quantity"], product["price"]) == \
        ("Linen shirt, blue", 12, {"amount": "24.50", "currency": "USD"})
    item = client.get_item("SHIRT-BLUE-M", "summaries,attributes,issues,offers,fulfillmentAvailability,productTypes").body
    assert item["attributes"]["color"] == SHIRT["color"] and item["issues"] == []
    [summary] = item["summaries"]
    assert summary["productType"] == "SHIRT" and summary["status"] == ["BUYABLE", "DISCOVERABLE"]
    assert summary["itemName"] == "Linen shirt, blue" and summary["conditionType"] == "new_new"
    assert item["offers"] == [{"marketplaceId": US, "offerType": "B2C", "price": {"currencyCode": "USD",
                                                                                  "amount": "24.5"},
                               "audience": {"value": "ALL", "displayName": "Sell on Amazon"}}]
    assert item["fulfillmentAvailability"] == [{"fulfillmentChannelCode": "DEFAULT", "quantity": 12}]
    assert item["productTypes"] == [{"marketplaceId": US, "productType": "SHIRT"}]
    assert set(client.get_item("SHIRT-BLUE-M", "summaries").body) == {"sku", "summaries"}


def test_put_answers_issues_at_once_and_changes_nothing_when_invalid(client, sandbox):
    attributes = {k: v for k, v in SHIRT.items() if k not in ("brand", "condition_type")}
    attributes["item_name"] = text("x" * 201)
    answer = client.put_item("SHIRT-BAD", "SHIRT", attributes)
    assert answer.body["status"] == "INVALID"
    found = {(i["code"], i["attributeNames"][0]): i for i in answer.body["issues"]}
    assert found[("90220", "brand")]["message"] == "'brand' is required but not supplied."
    assert found[("90220", "brand")]["categories"] == ["MISSING_ATTRIBUTE"]
    assert found[("90220", "condition_type")]["severity"] == "ERROR"
    assert "201 UTF-8 bytes" in found[("4000001", "item_name")]["message"]
    assert "SHIRT-BAD" not in sandbox.catalogue
    assert error_of(client.get_item("SHIRT-BAD"))[:2] == (404, "NotFound")


def test_amazons_keywords_bytes_unique_items_and_enumerations(client):
    cases = {
        "item_name": (text("é" * 101), "202 UTF-8 bytes"),  # 101 characters, 202 bytes: over 200 bytes
        "bullet_point": ([{"value": f"point {n}", **TEXT} for n in range(6)], "at most 5"),
        "condition_type": ([{"value": "brand_new", "marketplace_id": US}], "brand_new"),
        "purchasable_offer": ([offer(10), offer(11)], "at most 1"),
    }
    for name, (value, said) in cases.items():
        answer = client.put_item("PT-CHECK", "SHIRT", {**SHIRT, name: value})
        assert answer.body["status"] == "INVALID", name
        [problem] = [i for i in answer.body["issues"] if i["attributeNames"] == [name]]
        assert said in problem["message"], (name, problem)
    assert client.put_item("PT-CHECK", "SHIRT", {**SHIRT, "item_name": text("é" * 100)}).body["status"] == "ACCEPTED"


def test_validation_preview_validates_without_writing(client, sandbox):
    answer = client.put_item("PREVIEW-1", "SHIRT", SHIRT, mode="VALIDATION_PREVIEW")
    assert answer.body["status"] == "VALID" and "PREVIEW-1" not in sandbox.catalogue
    bad = client.put_item("PREVIEW-1", "SHIRT", {"item_name": SHIRT["item_name"]}, mode="VALIDATION_PREVIEW")
    assert bad.body["status"] == "INVALID"


def test_patches_inventory_price_images_and_relationships(client, sandbox):
    sku = sandbox.catalogue.skus()[0]
    answer = client.patch_item(sku, [{"op": "replace", "path": "/attributes/fulfillment_availability", "value": [
        {"fulfillment_channel_code": "DEFAULT", "quantity": 5, "lead_time_to_ship_max_days": 3,
         "restock_date": "2027-01-15"}]}])
    assert answer.body["status"] == "ACCEPTED", answer.body
    product = sandbox.catalogue[sku]
    assert (product["quantity"], product["fulfillment_latency"]) == (5, 3)
    prices = [offer(19.99, discounted_price=[{"schedule": [{"value_with_tax": 17.5, "start_at": "2027-01-01",
                                                            "end_at": "2027-02-01"}]}],
                    minimum_seller_allowed_price=[{"schedule": [{"value_with_tax": 15}]}]),
              offer(18.0, "B2B", quantity_discount_plan=[{"schedule": [{"discount_type": "percent", "levels": [
                  {"lower_bound": 10, "value": 5}, {"lower_bound": 50, "value": 10}]}]}])]
    assert client.patch_item(sku, [{"op": "replace", "path": "/attributes/purchasable_offer",
                                    "value": prices}]).body["status"] == "ACCEPTED"
    product = sandbox.catalogue[sku]
    assert product["price"] == {"amount": "19.99", "currency": "USD"} and product["business_price"] == "18.00"
    assert product["sale"]["amount"] == "17.50"
    images = [{"op": "replace", "path": "/attributes/main_product_image_locator",
               "value": [{"media_location": "https://example.com/main.jpg", "marketplace_id": US}]},
              {"op": "replace", "path": "/attributes/other_product_image_locator_3",
               "value": [{"media_location": "https://example.com/pt3.jpg", "marketplace_id": US}]}]
    assert client.patch_item(sku, images).body["status"] == "ACCEPTED"
    assert sandbox.catalogue[sku]["images"] == {"Main": "https://example.com/main.jpg",
                                                "PT3": "https://example.com/pt3.jpg"}
    assert client.patch_item(sku, [{"op": "delete", "path": "/attributes/other_product_image_locator_3",
                                    "value": [{"marketplace_id": US}]}]).body["status"] == "ACCEPTED"
    assert sandbox.catalogue[sku]["images"] == {"Main": "https://example.com/main.jpg"}
    parent, child = sandbox.catalogue.skus()[1], sku
    relation = [{"op": "replace", "path": "/attributes/child_parent_sku_relationship",
                 "value": [{"child_relationship_type": "variation", "parent_sku": parent, "marketplace_id": US}]},
                {"op": "replace", "path": "/attributes/parentage_level",
                 "value": [{"value": "child", "marketplace_id": US}]}]
    assert client.patch_item(child, relation).body["status"] == "ACCEPTED"
    assert {"sku": child, "type": "Variation"} in sandbox.catalogue[parent]["relations"]
    item = client.get_item(child, "attributes,offers,relationships").body
    assert item["attributes"]["purchasable_offer"] == prices
    assert {o["offerType"] for o in item["offers"]} == {"B2C", "B2B"}
    assert item["relationships"] == [{"marketplaceId": US, "relationships": [{"type": "VARIATION",
                                                                              "parentSkus": [parent]}]}]
    assert client.get_item(parent, "relationships").body["relationships"][0]["relationships"] == \
        [{"type": "VARIATION", "childSkus": [child]}]
    assert client.patch_item(child, [{"op": "delete", "path": "/attributes/child_parent_sku_relationship"}]) \
        .body["status"] == "ACCEPTED"
    assert sandbox.catalogue[parent]["relations"] == []


def test_merge_changes_one_entry_and_bad_patches_are_invalid(client, sandbox):
    sku = sandbox.catalogue.skus()[0]
    client.patch_item(sku, [{"op": "replace", "path": "/attributes/fulfillment_availability",
                             "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": 5,
                                        "lead_time_to_ship_max_days": 2}]}])
    client.patch_item(sku, [{"op": "merge", "path": "/attributes/fulfillment_availability",
                             "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": 8}]}])
    [entry] = client.get_item(sku, "attributes").body["attributes"]["fulfillment_availability"]
    assert entry == {"fulfillment_channel_code": "DEFAULT", "quantity": 8, "lead_time_to_ship_max_days": 2}
    for patch, code in (({"op": "replace", "path": "/attributes/fulfillment_availability/0/quantity",
                          "value": [{"x": 1}]}, "99300"),
                        ({"op": "replace", "path": "/attributes/fulfillment_availability",
                          "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": "many"}]}, "4000001")):
        answer = client.patch_item(sku, [patch])
        assert answer.body["status"] == "INVALID" and answer.body["issues"][0]["code"] == code
    assert client.patch_item("NO-SUCH-SKU", [{"op": "replace", "path": "/attributes/item_name",
                                              "value": text("x")}]).body["issues"][0]["code"] == "99301"
    answer = client.patch_item(sku, [{"op": "replace", "path": "/attributes/item_name", "value": text("x")}],
                               product_type="SPACESHIP")
    assert answer.body["status"] == "INVALID" and answer.body["issues"][0]["code"] == "99302"
    answer = client.patch_item(sku, [{"op": "copy", "path": "/attributes/item_name"}])
    assert error_of(answer)[:2] == (400, "InvalidInput") and "patches[0].op" in error_of(answer)[2]


def test_delete_and_the_mws_side_sees_the_same_catalogue(client, sandbox):
    client.put_item("SHIRT-DEL", "SHIRT", SHIRT)
    sandbox.catalogue.change("SHIRT-DEL", quantity=2, title="Renamed by an MWS feed")
    item = client.get_item("SHIRT-DEL", "attributes,fulfillmentAvailability").body
    assert item["fulfillmentAvailability"] == [{"fulfillmentChannelCode": "DEFAULT", "quantity": 2}]
    assert item["attributes"]["item_name"][0]["value"] == "Renamed by an MWS feed"
    assert item["attributes"]["color"] == SHIRT["color"]  # no MWS field: as stored
    answer = client.delete_item("SHIRT-DEL")
    assert answer.body["status"] == "ACCEPTED" and "SHIRT-DEL" not in sandbox.catalogue
    assert client.delete_item("SHIRT-DEL").body["status"] == "INVALID"


def test_path_and_body_refusals(client):
    answer = client.call("GET", client.listing_path("X", seller_id="SOMEONE"), params={"marketplaceIds": US})
    assert error_of(answer)[:2] == (403, "Unauthorized")
    answer = client.call("PUT", client.listing_path("X"), params={"marketplaceIds": f"{US},A2EUQ1WTGCTBG2"},
                         body={"productType": "SHIRT", "attributes": {}})
    assert error_of(answer)[:2] == (400, "InvalidInput") and "marketplaceIds" in error_of(answer)[2]
    answer = client.call("PUT", client.listing_path("X"), params={"marketplaceIds": DE},
                         body={"productType": "SHIRT", "attributes": {}})
    assert error_of(answer)[:2] == (403, "Unauthorized")
    answer = client.call("PUT", client.listing_path("X"), params={"marketplaceIds": US}, body={"productType": "SHIRT"})
    assert error_of(answer)[:2] == (400, "InvalidInput") and "attributes" in error_of(answer)[2]
    answer = client.call("PATCH", client.listing_path("X"), params={"marketplaceIds": US},
                         body={"productType": "SHIRT", "patches": []})
    assert "patches" in error_of(answer)[2]
    answer = client.call("GET", client.listing_path("X"), params={"marketplaceIds": US, "includedData": "identifiers"})
    assert "includedData[0]" in error_of(answer)[2]


def test_skus_with_slashes_and_spaces_travel_percent_encoded(client, sandbox):
    sku = "BOX/12 pcs#1"
    assert client.put_item(sku, "SHIRT", SHIRT).body["sku"] == sku
    assert sku in sandbox.catalogue and client.get_item(sku, "summaries").body["sku"] == sku


def test_usage_plans_of_the_listings_operations():
    # Refills a millionth as fast: the bucket's burst is all the test can spend, however slow the machine.
    with Sandbox(seed=2, orders=5, time_scale=1e-6) as sandbox:
        client = Client(sandbox)
        sku = sandbox.catalogue.skus()[0]
        gets = [client.get_item(sku, "summaries") for _ in range(11)]
        assert [a.status_code for a in gets] == [200] * 10 + [429]
        assert gets[0].headers["x-amzn-RateLimit-Limit"] == "5"
        patches = [client.patch_item(sku, [{"op": "delete", "path": "/attributes/bullet_point"}]) for _ in range(6)]
        assert [a.status_code for a in patches] == [200] * 5 + [429]


def test_an_offer_only_listing_needs_only_the_offer(client):
    offer_only = {"merchant_suggested_asin": [{"value": "B000TEST01", "marketplace_id": US}],
                  "condition_type": [{"value": "new_new", "marketplace_id": US}], "purchasable_offer": [offer(9.5)]}
    assert client.put_item("OFFER-1", "SHIRT", offer_only).body["status"] == "INVALID"  # LISTING wants the facts
    answer = client.put_item("OFFER-1", "SHIRT", offer_only, requirements="LISTING_OFFER_ONLY")
    assert answer.body["status"] == "ACCEPTED" and answer.body["issues"] == []
    client.patch_item("OFFER-1", [{"op": "replace", "path": "/attributes/purchasable_offer", "value": [offer(8)]}],
                      product_type="SHIRT")
    item = client.get_item("OFFER-1", "summaries,issues,offers").body
    assert item["issues"] == [] and item["offers"][0]["price"]["amount"] == "8"
    assert item["summaries"][0]["asin"] == "B000TEST01"
