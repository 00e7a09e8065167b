"""getOrder: one order with its items, includedData, 400 for a malformed id, 404 for an unknown one."""

from .conftest import ALL_DATA, EARLY, JP, NA_MARKETS, SpApi, error_of


def test_get_order_is_the_order_search_serves(spapi):
    orders, _ = spapi.search_all(createdAfter=EARLY, includedData=ALL_DATA)
    for order in orders[:10]:
        response = spapi.order(order["orderId"], includedData=ALL_DATA)
        assert response.status_code == 200 and response.body == {"order": order}
        assert response.body["order"]["orderItems"]


def test_get_order_without_included_data_has_only_the_core(spapi, shared_sandbox):
    stored = next(o for o in shared_sandbox.store.all() if o.marketplace_id in NA_MARKETS and o.paid)
    order = spapi.order(stored.amazon_order_id).body["order"]
    assert set(order) <= {"orderId", "orderAliases", "createdTime", "lastUpdatedTime", "programs",
                          "associatedOrders", "salesChannel", "orderItems"}
    with_recipient = spapi.order(stored.amazon_order_id, includedData="RECIPIENT").body["order"]
    assert with_recipient["recipient"]["deliveryAddress"]["countryCode"] == stored.shipping_address.country_code


def test_unknown_and_malformed_order_ids(spapi):
    assert error_of(spapi.order("111-1111111-1111111")) == \
        (404, "NotFound", "The requested order was not found.", "orderId 111-1111111-1111111")
    status, code, _, details = error_of(spapi.order("TEST_CASE_400"))
    assert (status, code) == (400, "InvalidInput") and "orderId 'TEST_CASE_400'" in details
    status, _, _, details = error_of(spapi.order("111-1111111-1111111", includedData="EVERYTHING"))
    assert status == 400 and "includedData[0] 'EVERYTHING'" in details


def test_an_order_of_another_region_is_found_at_its_regions_endpoint(spapi, shared_sandbox):
    japanese = next(o for o in shared_sandbox.store.all() if o.marketplace_id == JP)
    assert error_of(spapi.order(japanese.amazon_order_id))[0] == 404
    found = SpApi(shared_sandbox, "/fe").order(japanese.amazon_order_id).body["order"]
    assert found["salesChannel"] == {"channelName": "AMAZON", "marketplaceId": JP,
                                     "marketplaceName": "Amazon.co.jp"}


def test_unknown_resources_and_methods(spapi):
    response = spapi.get("/orders/2026-01-01/shipments")
    assert error_of(response) == (404, "ResourceNotFound", "Cannot find resource by the given URI", None)
    posted = spapi.session.post(spapi.base + "/orders/2026-01-01/orders", timeout=10)
    assert posted.status_code == 404 and posted.json()["errors"][0]["code"] == "ResourceNotFound"
