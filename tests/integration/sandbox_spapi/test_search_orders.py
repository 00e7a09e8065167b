"""searchOrders: Amazon's parameter rules, regions, includedData, and pagination that survives changes."""

from collections import Counter
from decimal import Decimal
from urllib.parse import quote

import pytest

from mws_sandbox.clock import format_ms

from .conftest import ALL_DATA, CA, DE, EARLY, GB, IN, JP, NA_MARKETS, SEARCH, US, SpApi, error_of

REGION_TEXT = "The marketplaces you provided are not valid for region."


def bad(response):
    """The `details` of a 400 InvalidInput."""
    status, code, message, details = error_of(response)
    assert (status, code, message) == (400, "InvalidInput", "Invalid Input"), response.body
    return details


def store_orders(sandbox, markets, *, created=True):
    now_ms = sandbox.clock.now_ms()
    return {o.amazon_order_id: o for o in sandbox.store.all() if o.marketplace_id in markets and
            (o.purchase_ms if created else o.last_update_ms) <= now_ms - 120_000}


# -- what comes back ----------------------------------------------------------------------------------

def test_every_order_of_the_region_with_its_items_and_a_stored_version(spapi, shared_sandbox):
    orders, pages = spapi.search_all(createdAfter=EARLY, includedData="FULFILLMENT")
    expected = store_orders(shared_sandbox, NA_MARKETS)
    assert pages == 1 and len(expected) > 30
    assert [o["orderId"] for o in orders] == sorted(expected, key=lambda i: (expected[i].purchase_ms, i))
    versions = set(shared_sandbox.store.versions())
    for order in orders:
        stored = expected[order["orderId"]]
        assert (order["orderId"], order["lastUpdatedTime"]) in versions
        assert order["createdTime"] == format_ms(stored.purchase_ms)
        assert [i["orderItemId"] for i in order["orderItems"]] == [i.order_item_id for i in stored.items]
        assert [i["product"]["sellerSku"] for i in order["orderItems"]] == [i.seller_sku for i in stored.items]
        assert order["salesChannel"]["marketplaceId"] in NA_MARKETS
    statuses = Counter(o["fulfillment"]["fulfillmentStatus"] for o in orders)
    assert {"PENDING", "UNSHIPPED", "SHIPPED", "CANCELLED"} <= set(statuses)


def test_the_answer_echoes_the_bound_applied(shared_sandbox, spapi):
    before = format_ms(shared_sandbox.clock.now_ms() - 10 * 60_000)
    body = spapi.search(createdAfter=EARLY, createdBefore=before).body
    assert body["createdBefore"] == before and "lastUpdatedBefore" not in body
    assert all(o["createdTime"] <= before for o in body["orders"])
    low = shared_sandbox.clock.now_ms() - 120_000
    body = spapi.search(lastUpdatedAfter=EARLY).body
    # Without a bound: two minutes before the request, as the two-minute rule lets a client ask.
    assert "createdBefore" not in body and low <= _ms(body["lastUpdatedBefore"]) <= low + 5_000


def _ms(text):
    from dateutil.parser import isoparse
    from mws_sandbox.clock import datetime_to_ms
    return datetime_to_ms(isoparse(text))


def test_money_is_strings_that_add_up(spapi):
    orders, _ = spapi.search_all(createdAfter=EARLY, includedData="PROCEEDS")
    with_proceeds = [o for o in orders if "proceeds" in o]
    assert len(with_proceeds) > 10
    for order in with_proceeds:
        proceeds = order["proceeds"]
        assert isinstance(proceeds["grandTotal"]["amount"], str)
        assert sum(Decimal(b["subtotal"]["amount"]) for b in proceeds["breakdowns"]) == \
            Decimal(proceeds["grandTotal"]["amount"])
        for item in order["orderItems"]:
            assert sum(Decimal(b["subtotal"]["amount"]) for b in item["proceeds"]["breakdowns"]) == \
                Decimal(item["proceeds"]["proceedsTotal"]["amount"])
            ordered = item["quantityOrdered"]
            [line] = [b for b in item["proceeds"]["breakdowns"] if b["type"] == "ITEM"]
            assert Decimal(item["product"]["price"]["unitPrice"]["amount"]) * ordered == \
                Decimal(line["subtotal"]["amount"])


SECTIONS = {"BUYER": ("buyer", None), "RECIPIENT": ("recipient", None), "PROCEEDS": ("proceeds", "proceeds"),
            "FULFILLMENT": ("fulfillment", "fulfillment"), "TAX": ("tax", "tax"), "PAYMENT": ("payment", None),
            "PACKAGES": ("packages", None), "EXPENSE": (None, "expense"), "PROMOTION": (None, "promotion"),
            "CANCELLATION": (None, "cancellation"), "FULFILLMENT_ORDERS": ("fulfillmentOrders", None)}


def sections(orders):
    order_keys = {k for o in orders for k in o}
    item_keys = {k for o in orders for i in o["orderItems"] for k in i}
    return order_keys, item_keys


def test_included_data_governs_the_sections(spapi):
    bare, _ = spapi.search_all(createdAfter=EARLY)
    order_keys, item_keys = sections(bare)
    optional = {o for o, _ in SECTIONS.values() if o} | {i for _, i in SECTIONS.values() if i}
    assert not (order_keys | item_keys) & optional
    everything = {}
    for region in ("", "/eu", "/fe"):  # COD payments are JP's, Easy Ship India's
        orders, _ = SpApi(spapi.sandbox, region).search_all(createdAfter=EARLY, includedData=ALL_DATA)
        everything[region] = sections(orders)
    all_order_keys = set().union(*(keys for keys, _ in everything.values()))
    all_item_keys = set().union(*(keys for _, keys in everything.values()))
    for value, (order_key, item_key) in SECTIONS.items():
        if order_key:
            assert order_key in all_order_keys, value
        if item_key:
            assert item_key in all_item_keys, value
    one, _ = spapi.search_all(createdAfter=EARLY, includedData="BUYER,TAX")
    order_keys, item_keys = sections(one)
    assert order_keys & optional == {"buyer", "tax"} and item_keys & optional == {"tax"}


def test_buyer_email_for_merchant_fulfilled_orders_only(spapi):
    orders, _ = spapi.search_all(createdAfter=EARLY, includedData="BUYER,FULFILLMENT")
    emails = [o["fulfillment"]["fulfilledBy"] for o in orders if "buyerEmail" in o.get("buyer", {})]
    assert emails and set(emails) == {"MERCHANT"}


# -- parameter rules --------------------------------------------------------------------------------

@pytest.mark.parametrize("params, named", [
    ({}, "createdAfter and lastUpdatedAfter"),
    ({"createdAfter": EARLY, "lastUpdatedAfter": EARLY}, "lastUpdated"),
    ({"createdAfter": EARLY, "lastUpdatedBefore": "2001-01-01T00:00:00Z"}, "lastUpdatedBefore"),
    ({"lastUpdatedAfter": EARLY, "createdBefore": "2001-01-01T00:00:00Z"}, "createdBefore"),
    ({"createdAfter": "2001-01-01T00:00:00Z", "createdBefore": EARLY}, "createdBefore must be equal to or after"),
    ({"createdAfter": "yesterday"}, "createdAfter 'yesterday'"),
    ({"lastUpdatedAfter": "2024-13-45T00:00:00Z"}, "lastUpdatedAfter"),
    ({"createdAfter": EARLY, "maxResultsPerPage": "0"}, "maxResultsPerPage"),
    ({"createdAfter": EARLY, "maxResultsPerPage": "101"}, "maxResultsPerPage"),
    ({"createdAfter": EARLY, "maxResultsPerPage": "ten"}, "maxResultsPerPage"),
    ({"createdAfter": EARLY, "maxResultsPerPage": "2.5"}, "maxResultsPerPage"),
    ({"createdAfter": EARLY, "marketplaceIds": ",".join([US] * 51)}, "at most 50"),
    ({"createdAfter": EARLY, "marketplaceIds": f"{US},XYZ"}, "marketplaceIds[1] 'XYZ'"),
    ({"createdAfter": EARLY, "marketplaceIds": f"{US},"}, "marketplaceIds has an empty value"),
    ({"createdAfter": EARLY, "fulfillmentStatuses": "SHIPPED,Unshipped"}, "fulfillmentStatuses[1] 'Unshipped'"),
    ({"createdAfter": EARLY, "fulfilledBy": "AFN"}, "fulfilledBy[0] 'AFN'"),
    ({"createdAfter": EARLY, "includedData": "BUYER,ADDRESS"}, "includedData[1] 'ADDRESS'"),
    ({"createdAfter": EARLY, "paginationToken": "not-a-token"}, "paginationToken"),
])
def test_bad_parameters_get_400_naming_the_parameter(spapi, params, named):
    assert named in bad(spapi.search(**params))


def test_the_before_bound_must_be_two_minutes_old(shared_sandbox, spapi):
    now = shared_sandbox.clock.now_ms()
    for name, after in (("createdBefore", "createdAfter"), ("lastUpdatedBefore", "lastUpdatedAfter")):
        details = bad(spapi.search(**{after: EARLY, name: format_ms(now - 60_000)}))
        assert details == f"{name} must be at least two minutes before the time of the request"
        assert spapi.search(**{after: EARLY, name: format_ms(now - 150_000)}).status_code == 200
    # An after bound later than the applied before bound cannot match anything: refused, naming it.
    assert "createdAfter must be before createdBefore" in bad(spapi.search(createdAfter=format_ms(now)))


def test_maximum_page_sizes_and_arrays_of_fifty(spapi):
    assert len(spapi.search(createdAfter=EARLY, maxResultsPerPage="1").body["orders"]) == 1
    assert spapi.search(createdAfter=EARLY, maxResultsPerPage="100").status_code == 200
    assert spapi.search(createdAfter=EARLY, marketplaceIds=",".join([US] * 50)).status_code == 200


def test_arrays_are_comma_separated_not_repeated(spapi):
    details = bad(spapi.get(SEARCH, f"createdAfter={EARLY}&marketplaceIds={US}&marketplaceIds={CA}"))
    assert details.startswith("marketplaceIds is given 2 times")
    both = spapi.search(createdAfter=EARLY, marketplaceIds=f"{US},{CA}").body["orders"]
    assert {o["salesChannel"]["marketplaceId"] for o in both} == {US, CA}


def test_filters_by_marketplace_status_and_fulfiller(spapi):
    orders, _ = spapi.search_all(createdAfter=EARLY, marketplaceIds=CA, includedData="FULFILLMENT")
    assert orders and {o["salesChannel"]["marketplaceId"] for o in orders} == {CA}
    orders, _ = spapi.search_all(createdAfter=EARLY, fulfillmentStatuses="UNSHIPPED,PARTIALLY_SHIPPED",
                                 includedData="FULFILLMENT")
    assert {o["fulfillment"]["fulfillmentStatus"] for o in orders} == {"UNSHIPPED", "PARTIALLY_SHIPPED"}
    for fulfiller in ("AMAZON", "MERCHANT"):
        orders, _ = spapi.search_all(createdAfter=EARLY, fulfilledBy=fulfiller, includedData="FULFILLMENT")
        assert orders and {o["fulfillment"]["fulfilledBy"] for o in orders} == {fulfiller}


# -- regions ----------------------------------------------------------------------------------------

def test_a_marketplace_of_another_region_is_refused_as_amazon_does(spapi):
    assert error_of(spapi.search(createdAfter=EARLY, marketplaceIds=f"{US},{DE}")) == \
        (403, "Unauthorized", "Access to requested resource is denied.", REGION_TEXT)
    eu = SpApi(spapi.sandbox, "/eu")
    assert error_of(eu.search(createdAfter=EARLY, marketplaceIds=US))[3] == REGION_TEXT


def test_the_path_prefix_or_the_host_picks_the_region(spapi, shared_sandbox):
    eu, _ = SpApi(shared_sandbox, "/eu").search_all(createdAfter=EARLY)
    assert {o["salesChannel"]["marketplaceId"] for o in eu} == {DE, GB, "A13V1IB3VIYZZH", IN}
    fe, _ = SpApi(shared_sandbox, "/fe").search_all(createdAfter=EARLY, marketplaceIds=JP)
    assert fe and {o["salesChannel"]["marketplaceId"] for o in fe} == {JP}
    by_host = spapi.get(SEARCH, {"createdAfter": EARLY, "marketplaceIds": DE},
                        headers={"Host": "sellingpartnerapi-eu.amazon.com"})
    assert by_host.status_code == 200 and by_host.body["orders"]
    assert shared_sandbox.spapi.credentials("http://x")["endpoint"] == "http://x"
    assert shared_sandbox.spapi.credentials("http://x", "EU") == {
        **shared_sandbox.spapi.credentials("http://x"), "endpoint": "http://x/eu", "marketplaceId": DE}


# -- pagination ---------------------------------------------------------------------------------------

def test_pages_join_up_to_the_single_page_and_tokens_hold_plus_slash_and_equals(spapi):
    whole, _ = spapi.search_all(createdAfter=EARLY)
    paged, pages = spapi.search_all(createdAfter=EARLY, maxResultsPerPage="7")
    assert pages == -(-len(whole) // 7) and paged == whole
    token = spapi.search(createdAfter=EARLY, maxResultsPerPage="7").body["pagination"]["nextToken"]
    assert {"+", "/", "="} <= set(token)
    last = spapi.search(createdAfter=EARLY, maxResultsPerPage=str(len(whole)))
    assert "pagination" not in last.body  # absent on the last page


def test_only_page_size_and_included_data_may_change_with_a_token(spapi):
    first = spapi.search(createdAfter=EARLY, maxResultsPerPage="5", includedData="BUYER")
    token = first.body["pagination"]["nextToken"]
    second = spapi.search(createdAfter=EARLY, maxResultsPerPage="9", includedData="FULFILLMENT",
                          paginationToken=token)
    assert second.status_code == 200 and len(second.body["orders"]) == 9
    assert all("fulfillment" in o and "buyer" not in o for o in second.body["orders"])
    for changed in ({"marketplaceIds": US}, {"createdAfter": "2000-01-01T00:00:01Z"},
                    {"fulfilledBy": "MERCHANT"}):
        params = {"createdAfter": EARLY, "paginationToken": token, **changed}
        assert "same parameters" in bad(spapi.search(**params))
    # A token of one region is not another's.
    eu = SpApi(spapi.sandbox, "/eu")
    assert "same parameters" in bad(eu.search(createdAfter=EARLY, paginationToken=token))


def test_a_token_encoded_twice_decoded_or_altered_is_refused(spapi):
    token = spapi.search(createdAfter=EARLY, maxResultsPerPage="5").body["pagination"]["nextToken"]
    ok = spapi.get(SEARCH, f"createdAfter={EARLY}&maxResultsPerPage=5&paginationToken={quote(token, safe='')}")
    assert ok.status_code == 200
    twice = quote(quote(token, safe=""), safe="")
    assert "paginationToken" in bad(spapi.get(SEARCH, f"createdAfter={EARLY}&paginationToken={twice}"))
    raw = spapi.get(SEARCH, f"createdAfter={EARLY}&paginationToken={token}")  # '+' read as a space
    assert "paginationToken" in bad(raw)
    altered = token[:10] + ("A" if token[10] != "A" else "B") + token[11:]
    assert "paginationToken" in bad(spapi.search(createdAfter=EARLY, paginationToken=altered))


def test_tokens_expire_after_24_hours(fresh, fresh_sandbox):
    token = fresh.search(createdAfter=EARLY, maxResultsPerPage="2").body["pagination"]["nextToken"]
    fresh_sandbox.clock.advance(24 * 3600 - 60)
    fresh.token = None  # the access token has expired by now too
    assert fresh.search(createdAfter=EARLY, paginationToken=token).status_code == 200
    fresh_sandbox.clock.advance(61)
    assert "expired" in bad(fresh.search(createdAfter=EARLY, paginationToken=token))


def test_ties_on_one_stamp_page_without_loss_or_repeat(fresh, fresh_sandbox):
    store = fresh_sandbox.store
    na = [o.amazon_order_id for o in store.all() if o.marketplace_id in NA_MARKETS][:5]
    with store.batch():  # one stamp for all five, as Amazon stamps bulk updates
        for order_id in na:
            store.acknowledge(order_id)
    fresh_sandbox.clock.advance(200)
    whole, _ = fresh.search_all(lastUpdatedAfter=EARLY)
    stamps = Counter(o["lastUpdatedTime"] for o in whole)
    assert max(stamps.values()) == 5
    for size in ("1", "2", "3"):
        paged, _ = fresh.search_all(lastUpdatedAfter=EARLY, maxResultsPerPage=size)
        assert [o["orderId"] for o in paged] == [o["orderId"] for o in whole]
    assert [o["lastUpdatedTime"] for o in whole] == sorted(o["lastUpdatedTime"] for o in whole)
    tied = [o["orderId"] for o in whole if stamps[o["lastUpdatedTime"]] == 5]
    assert tied == sorted(na)  # ties in orderId order: a stable order


def test_the_generated_data_has_ties_and_pages_over_them_stably(shared_sandbox):
    eu = SpApi(shared_sandbox, "/eu")
    whole, _ = eu.search_all(lastUpdatedAfter=EARLY)
    assert max(Counter(o["lastUpdatedTime"] for o in whole).values()) >= 2  # the store's shared stamps
    paged, pages = eu.search_all(lastUpdatedAfter=EARLY, maxResultsPerPage="1")
    assert pages == len(whole) and paged == whole


def test_paging_through_changes_then_polling_on_the_bound_misses_nothing(fresh, fresh_sandbox):
    store = fresh_sandbox.store
    fresh_sandbox.clock.advance(200)
    params = {"lastUpdatedAfter": EARLY, "maxResultsPerPage": "4", "marketplaceIds": ",".join(NA_MARKETS)}
    seen, changed = {}, []
    response = fresh.search(**params)
    bound = response.body["lastUpdatedBefore"]
    while True:
        for order in response.body["orders"]:
            assert order["orderId"] not in seen
            seen[order["orderId"]] = order["lastUpdatedTime"]
        changed += store.tick(3, shared_timestamp=len(changed) % 2 == 0)
        token = response.body.get("pagination", {}).get("nextToken")
        if not token:
            break
        response = fresh.search(**params, paginationToken=token)
        assert response.body["lastUpdatedBefore"] == bound  # one window for the whole pass
    fresh_sandbox.clock.advance(200)
    later, _ = fresh.search_all(lastUpdatedAfter=bound, marketplaceIds=",".join(NA_MARKETS))
    for order in later:
        seen[order["orderId"]] = order["lastUpdatedTime"]
    current = {o.amazon_order_id: format_ms(o.last_update_ms) for o in store.all()
               if o.marketplace_id in NA_MARKETS}
    assert seen == current and changed


# -- the same store as MWS ------------------------------------------------------------------------------

def test_feeds_through_mws_show_through_spapi():
    from mws_sandbox import Sandbox

    from lxml.builder import E

    from mws_component.mws import signing

    from tests.integration.sandbox.feedkit import ACKNOWLEDGEMENT, FULFILLMENT, FeedsCaller, envelope

    def acknowledgement(order_id, merchant_order_id):
        return E.OrderAcknowledgement(E.AmazonOrderID(order_id), E.MerchantOrderID(merchant_order_id),
                                      E.StatusCode("Success"))

    def fulfillment(order_id, shipped_at):
        return E.OrderFulfillment(E.AmazonOrderID(order_id), E.FulfillmentDate(signing.timestamp(shipped_at)),
                                  E.FulfillmentData(E.CarrierCode("UPS"), E.ShipperTrackingNumber("1Z999AA1012")))

    with Sandbox(seed=7, orders=60, quotas=False, feed_processing_seconds=0) as sandbox:
        spapi, feeds = SpApi(sandbox), FeedsCaller(sandbox)
        order = next(o for o in sandbox.store.all() if o.status == "Unshipped" and o.marketplace_id in NA_MARKETS)
        before = spapi.order(order.amazon_order_id, includedData="FULFILLMENT").body["order"]
        assert before["fulfillment"]["fulfillmentStatus"] == "UNSHIPPED"
        feeds.report(ACKNOWLEDGEMENT, envelope("OrderAcknowledgement",
                                               acknowledgement(order.amazon_order_id, merchant_order_id="MY-1")))
        feeds.report(FULFILLMENT, envelope("OrderFulfillment", fulfillment(order.amazon_order_id,
                                                                          sandbox.clock.now())))
        after = spapi.order(order.amazon_order_id, includedData="FULFILLMENT,PACKAGES").body["order"]
        assert after["orderAliases"] == [{"aliasId": "MY-1", "aliasType": "SELLER_ORDER_ID"}]
        assert after["fulfillment"]["fulfillmentStatus"] == "SHIPPED"
        assert [i["fulfillment"]["quantityUnfulfilled"] for i in after["orderItems"]] == [0] * len(order.items)
        assert after["lastUpdatedTime"] > before["lastUpdatedTime"]
        assert (order.amazon_order_id, after["lastUpdatedTime"]) == sandbox.store.versions()[-1]
        if order.fulfillment_channel == "MFN":
            assert after["packages"][0]["packageItems"]
