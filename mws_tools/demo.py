"""`mws-component demo`: the connector's main jobs against the embedded sandbox.

Starts the sandbox on a free loopback port, runs the List Orders trigger
twice over MWS (the second run from the first run's snapshot, after orders
changed), then List Order Items, Get Order and the feeds, and prints what
happened. Then the Orders side again over the Selling Partner API on the same
sandbox: the Login with Amazon token grant, List Orders twice, List Order
Items, Get Order and a refused refresh token; and the feeds side over SP-API:
a product through a product type, inventory, price, image and relationship by
JSON_LISTINGS_FEED and by the Listings Items API (perItem), each with one
deliberate issue shown by SKU, and the XML order feeds closing an order that
the SP-API List Orders then shows as Shipped.
"""

import logging
import sys
import textwrap
import time
from collections import Counter

from mws_component.actions import submit_product
from mws_component.marketplaces import MARKETPLACES
from mws_sandbox import Sandbox

from .runner import LocalContext, run_function

WIDTH = 72
FEED_SECONDS = 30  # server time the sandbox takes to process a feed


class Progress:
    """One line of progress on stderr: redrawn in a terminal, plain lines otherwise."""

    def __init__(self, label, total, stream=sys.stderr):
        self.label, self.total, self.stream, self.done = label, total, stream, 0
        self.tty = stream.isatty()
        self._draw()

    def step(self, note=""):
        self.done += 1
        self._draw(note)

    def _draw(self, note=""):
        filled = int(30 * self.done / max(self.total, 1))
        line = f"  {self.label:<22} [{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total} {note}"
        if self.tty:
            self.stream.write("\r" + line[:WIDTH + 20].ljust(WIDTH + 20))
            if self.done >= self.total:
                self.stream.write("\n")
        elif self.done in (0, self.total) or self.done % 10 == 0:
            self.stream.write(line + "\n")
        self.stream.flush()


class QuietContext(LocalContext):
    """Collects events without printing them: the demo prints summaries instead."""

    def __init__(self, on_data=None):
        super().__init__(out=None, flow_type="ordinary")
        self.on_data = on_data

    def emit(self, event, payload=None):
        super().emit(event, payload)
        if event == "data" and self.on_data:
            self.on_data()


def heading(text):
    print("\n" + text)
    print("-" * len(text))


def data_bodies(ctx):
    return [e["body"] for e in ctx.events if e["event"] == "data"]


def fail_on_error(ctx, what):
    errors = [e["error"] for e in ctx.events if e["event"] == "error"]
    if errors:
        raise SystemExit(f"{what} failed: {errors[0]['name']}: {errors[0]['message']}")


def submit_feed(cfg, name, body, **fields):
    ctx = run_function(name, cfg | fields, {"body": body}, ctx=QuietContext())
    fail_on_error(ctx, name)
    return data_bodies(ctx)[0]


def print_report(sandbox, cfg, feed, label):
    """Wait (on the sandbox's clock) for the feed to be processed, then print its report."""
    sandbox.clock.advance(FEED_SECONDS + 1)
    ctx = run_function("getFeedSubmissionResult", cfg, {"body": {"feedSubmissionId": feed["feedSubmissionId"]}},
                       ctx=QuietContext())
    fail_on_error(ctx, "Get Feed Submission Result")
    result = data_bodies(ctx)[0]
    summary = result.get("processingSummary", {})
    print(f"  {label:<16} feed {feed['feedSubmissionId']} ({feed['messageCount']} message(s)): "
          f"{result.get('statusCode')}, {summary.get('messagesSuccessful')} ok, {summary.get('messagesWithError')} error(s)")
    for entry in result["results"]:
        print(f"      message {entry['messageId']}: {entry['resultCode']} {entry['resultMessageCode']} "
              f"{shorten(entry['resultDescription'], 70)}")


def acknowledge_and_ship(sandbox, cfg, order, merchant_order_id, tracking_number):
    """Acknowledge Order, then Confirm Shipment of every item, each report printed."""
    ack = submit_feed(cfg, "acknowledgeOrder", {
        "amazonOrderID": order.amazon_order_id, "merchantOrderID": merchant_order_id, "statusCode": "Success",
        "item": [{"amazonOrderItemCode": i.order_item_id, "merchantOrderItemID": f"{merchant_order_id}-{n}"}
                 for n, i in enumerate(order.items, 1)]})
    print_report(sandbox, cfg, ack, "acknowledgement")
    ship = submit_feed(cfg, "confirmShipment", {
        "amazonOrderID": order.amazon_order_id, "fulfillmentDate": sandbox.clock.now().isoformat(timespec="seconds"),
        "fulfillmentData": {"carrierCode": "UPS", "shippingMethod": "Ground", "shipperTrackingNumber": tracking_number},
        "item": [{"amazonOrderItemCode": i.order_item_id, "quantity": i.quantity_ordered} for i in order.items]})
    print_report(sandbox, cfg, ship, "shipment")


def shorten(text, width):
    """TEXT in at most WIDTH characters, cut at a word boundary with an ellipsis."""
    return textwrap.shorten(str(text), width=width, placeholder=" …")


def versions(orders):
    return {(o["amazonOrderId"], o["lastUpdateDate"]) for o in orders}


def spapi_orders_side(sandbox):
    """The Orders side again, over the Selling Partner API: same functions, SP-API credentials."""
    cfg = dict(sandbox.spapi_credentials)
    region = next(m.region for m in MARKETPLACES if m.marketplace_id == cfg["marketplaceId"])
    in_region = {m.marketplace_id for m in MARKETPLACES if m.region == region}
    cfg["marketplaceIds"] = sorted({o.marketplace_id for o in sandbox.store.all()} & in_region)
    cfg["maxResultsPerPage"] = 20
    seen_before = len(sandbox.requests)

    heading(f"8. SP-API: the same functions with SP-API credentials ({region} region)")
    check = run_function("verifyCredentials", cfg, ctx=QuietContext())
    fail_on_error(check, "verifyCredentials (SP-API)")
    print(f"  verifyCredentials: verified={data_bodies(check)[0].get('verified')}")
    print(f"    Login with Amazon granted {sandbox.requests.count(action='LwaToken')} access token, "
          "cached for the calls below")

    first = run_function("listOrders", cfg, snapshot={}, ctx=QuietContext())
    fail_on_error(first, "List Orders (SP-API)")
    orders = data_bodies(first)
    pages = sum(e["event"] == "snapshot" for e in first.events)
    print(f"  List Orders, first run: {len(orders)} orders in {pages} searchOrders page(s)")
    print(f"    marketplaces {', '.join(cfg['marketplaceIds'])}")
    changed = sandbox.store.tick(8)
    sandbox.clock.advance(180)  # past the two-minute rule of searchOrders' lastUpdatedBefore
    second = run_function("listOrders", cfg, snapshot=first.snapshot, ctx=QuietContext())
    fail_on_error(second, "List Orders (SP-API, second run)")
    again = data_bodies(second)
    repeated = versions(orders) & versions(again)
    print(f"  List Orders from the snapshot, after {len(changed)} change(s) in the store (all regions):")
    print(f"    {len(again)} order version(s) emitted; repeated from the first run: {len(repeated)}")

    order_id = next(o["amazonOrderId"] for o in orders if o["orderStatus"] != "Pending")
    ctx = run_function("listOrderItems", cfg, {"body": {"amazonOrderId": order_id}}, ctx=QuietContext())
    fail_on_error(ctx, "List Order Items (SP-API)")
    items = data_bodies(ctx)[0]["orderItems"]
    item = items[0] if items else {}
    price = item.get("itemPrice", {})
    print(f"  List Order Items {order_id}: {len(items)} item(s), e.g. {item.get('sellerSKU')} × "
          f"{item.get('quantityOrdered')} {price.get('amount', '(no price)')} {price.get('currencyCode', '')}")

    ids = [o["amazonOrderId"] for o in orders[1:3]] + ["999-9999999-9999999"]
    ctx = run_function("getOrder", cfg, {"body": {"amazonOrderIds": ids}}, ctx=QuietContext())
    fail_on_error(ctx, "Get Order (SP-API)")
    body = data_bodies(ctx)[0]
    print(f"  Get Order: found {', '.join(o['amazonOrderId'] for o in body['orders'])}; "
          f"notFound {', '.join(body['notFound'])}")

    bad = run_function("verifyCredentials", cfg | {"refreshToken": "Atzr|IwEBI-not-this-app"}, ctx=QuietContext())
    refused = data_bodies(bad)[0] if data_bodies(bad) else {}
    print(f"  a bad refresh token: verified={refused.get('verified')}, reason:")
    print(textwrap.fill(str(refused.get("reason")), WIDTH, initial_indent="    ", subsequent_indent="    "))
    mine = sandbox.requests.snapshot()[seen_before:]
    calls = Counter(r.action for r in mine)
    print(f"  the sandbox saw {len(mine)} SP-API request(s): "
          + ", ".join(f"{k} {v}" for k, v in sorted(calls.items()))
          + f"; 429 answers: {sum(r.status == 429 for r in mine)}")
    print("    (LwaToken: the one grant every call above used, and the refused one)")


def text(value):
    """An attribute value in Amazon's shape; the component adds marketplace_id and language_tag."""
    return [{"value": value}]


SHIRT = {"item_name": text("Linen shirt, blue, M"), "brand": text("Demo Wear"), "color": text("Blue"),
         "size": text("M"), "department": text("mens"), "condition_type": [{"value": "new_new"}],
         "externally_assigned_product_identifier": [{"type": "ean", "value": "4006381333931"}],
         "purchasable_offer": [{"currency": "USD", "audience": "ALL",
                                "our_price": [{"schedule": [{"value_with_tax": 24.5}]}]}],
         "fulfillment_availability": [{"fulfillment_channel_code": "DEFAULT", "quantity": 12}]}


def print_per_item(label, ctx):
    fail_on_error(ctx, label)
    results = data_bodies(ctx)[0]["results"]
    print(f"  {label:<16} perItem: " + ", ".join(f"{r['sku']} {r['status']}" for r in results))
    for r in results:
        for issue in r["issues"]:
            print(f"      {r['sku']}: {issue['severity']} {issue['code']} {shorten(issue['message'], 60)}")


def spapi_feeds_side(sandbox):
    """The feeds side over the Selling Partner API: the same listings actions by JSON_LISTINGS_FEED and by the
    Listings Items API (submitMode perItem), each with one deliberate issue; then the XML order feeds."""
    cfg = dict(sandbox.spapi_credentials)
    seen_before = len(sandbox.requests)
    heading("9. SP-API feeds: listings by JSON_LISTINGS_FEED and by perItem, order feeds")
    found = submit_product.getProductTypes(cfg | {"productTypeKeywords": "shirt"})
    print(f"  the productType select model for 'shirt' (searchDefinitionsProductTypes): {found}")

    sku_a, sku_b, sku_c = sorted(sandbox.catalogue.skus())[:3]
    product = submit_feed(cfg, "submitProduct", {"items": [
        {"sku": "DEMO-SHIRT-M", "attributes": SHIRT},
        {"sku": "DEMO-NO-LISTING", "operationType": "PartialUpdate", "attributes": {"color": text("Red")}}]},
        operation="Upsert", productType="SHIRT")
    print(f"  submitProduct (SHIRT) by feed: feedType {product['feedType']}, feedId {product['feedSubmissionId']}")
    print_report(sandbox, cfg, product, "product (SHIRT)")
    by_feed = [
        ("inventory", "submitInventory", {"items": [
            {"sku": "DEMO-SHIRT-M", "quantity": 40, "fulfillmentLatency": 2},
            {"sku": "DEMO-GONE-1", "quantity": 3}]}),
        ("price", "changeProductPrice", {"items": [
            {"sku": "DEMO-SHIRT-M", "standardPrice": {"value": "22.99", "currency": "USD"}},
            {"sku": "DEMO-GONE-2", "standardPrice": {"value": "1.00", "currency": "USD"}}]}),
        ("image", "changeProductImage", {"items": [
            {"sku": "DEMO-SHIRT-M", "imageType": "Main", "imageLocation": "https://images.example.com/shirt.jpg"},
            {"sku": "DEMO-GONE-3", "imageType": "PT1", "imageLocation": "https://images.example.com/x.jpg"}]}),
        ("relationship", "establishProductRelationships", {"parentSKU": sku_a, "relation": [
            {"sku": sku_b, "type": "Variation"}, {"sku": "DEMO-GONE-4", "type": "Variation"}]}),
    ]
    for label, name, body in by_feed:
        print_report(sandbox, cfg, submit_feed(cfg, name, body), label)
    shirt = sandbox.catalogue["DEMO-SHIRT-M"]
    print(f"  the catalogue now holds DEMO-SHIRT-M: {shirt['title']!r}, quantity {shirt['quantity']}, "
          f"price {shirt['price']}, images {sorted(shirt['images'])}")

    per_item = [
        ("product", "submitProduct", {"items": [
            {"sku": "DEMO-SHIRT-L", "attributes": SHIRT | {"size": text("L")}},
            {"sku": "DEMO-NO-LISTING", "operationType": "PartialUpdate", "attributes": {"color": text("Red")}}]},
         {"operation": "Upsert", "productType": "SHIRT"}),
        ("inventory", "submitInventory", {"items": [{"sku": "DEMO-SHIRT-L", "quantity": 9},
                                                     {"sku": "DEMO-GONE-5", "quantity": 1}]}, {}),
        ("price", "changeProductPrice", {"items": [
            {"sku": "DEMO-SHIRT-L", "standardPrice": {"value": "23.99", "currency": "USD"}},
            {"sku": "DEMO-GONE-6", "standardPrice": {"value": "2.00", "currency": "USD"}}]}, {}),
        ("image", "changeProductImage", {"items": [
            {"sku": "DEMO-SHIRT-L", "imageType": "Main", "imageLocation": "https://images.example.com/l.jpg"},
            {"sku": "DEMO-GONE-7", "imageType": "Main", "imageLocation": "https://images.example.com/y.jpg"}]}, {}),
        ("relationship", "establishProductRelationships", {"parentSKU": sku_a, "relation": [
            {"sku": sku_c, "type": "Variation"}, {"sku": "DEMO-GONE-8", "type": "Variation"}]}, {}),
    ]
    for label, name, body, fields in per_item:
        ctx = run_function(name, cfg | fields | {"submitMode": "perItem"}, {"body": body}, ctx=QuietContext())
        print_per_item(label, ctx)

    refused = run_function("submitInventory", cfg, {"body": {"sku": sku_a, "available": True}}, ctx=QuietContext())
    print(f"  a field with no SP-API counterpart: {refused.events[-1]['error']['message']}")

    region = next(m.region for m in MARKETPLACES if m.marketplace_id == cfg["marketplaceId"])
    in_region = {m.marketplace_id for m in MARKETPLACES if m.region == region}
    order = next(o for o in sandbox.store.all() if o.status == "Unshipped" and o.fulfillment_channel == "MFN"
                 and o.marketplace_id in in_region)
    acknowledge_and_ship(sandbox, cfg, order, "ERP-20001", "1Z999AA10123456785")
    sandbox.clock.advance(180)
    listed = run_function("listOrders", cfg | {"marketplaceIds": [order.marketplace_id],
                                               "startTime": "2000-01-01T00:00:00Z"}, snapshot={}, ctx=QuietContext())
    fail_on_error(listed, "List Orders (SP-API, after the shipment)")
    shipped = {o["amazonOrderId"]: o for o in data_bodies(listed)}.get(order.amazon_order_id, {})
    print(f"  SP-API List Orders now emits {order.amazon_order_id} as {shipped.get('orderStatus')}: "
          "the order cycle is closed over SP-API")
    mine = sandbox.requests.snapshot()[seen_before:]
    calls = Counter(r.action for r in mine)
    print(f"  the sandbox saw {len(mine)} request(s): " + ", ".join(f"{k} {v}" for k, v in sorted(calls.items()))
          + f"; 429 answers: {sum(r.status == 429 for r in mine)}")


def main(args):
    # From the start of the command (imports and the sandbox's data included), as the user waited.
    started = getattr(args, "started", None) or time.monotonic()
    logging.getLogger().setLevel(logging.WARNING)
    print("=" * WIDTH)
    print("Amazon connector for elastic.io: demo against the embedded sandbox")
    print("(MWS part: signatures, parameter rules, quotas and Amazon's XML, as MWS")
    print(" spoke before Amazon switched it off in 2024; SP-API part: Login with")
    print(" Amazon, usage plans, the Orders API 2026-01-01, Feeds, Listings Items")
    print(" and Product Type Definitions, over the same store.)")
    print("=" * WIDTH)
    with Sandbox(seed=args.seed, orders=args.orders, feed_processing_seconds=FEED_SECONDS) as sandbox:
        print(f"Sandbox listening on {sandbox.url} with {len(sandbox.store)} orders (seed {args.seed})")
        cfg = dict(sandbox.credentials)
        # The seller sells in several marketplaces; list them all, as a seller would.
        cfg["marketplaceIds"] = sorted({order.marketplace_id for order in sandbox.store.all()})
        cfg["maxResultsPerPage"] = 20

        heading("1. List Orders trigger, first run (from the beginning of time)")
        progress = Progress("orders emitted", len(sandbox.store))
        first = run_function("listOrders", cfg, snapshot={}, ctx=QuietContext(progress.step))
        fail_on_error(first, "List Orders")
        if progress.done < progress.total:
            progress.total = progress.done
            progress._draw()
        orders = data_bodies(first)
        snapshots = sum(e["event"] == "snapshot" for e in first.events)
        print(f"  {len(orders)} orders emitted, one message each, in {snapshots} pages with a snapshot after each;")
        print(f"  the last snapshot = {first.snapshot}")
        by_status = Counter(o["orderStatus"] for o in orders)
        by_market = Counter(o.get("salesChannel") or o.get("marketplaceId") for o in orders)
        print("  by status:      " + ", ".join(f"{k} {v}" for k, v in by_status.most_common()))
        print("  by marketplace: " + ", ".join(f"{k} {v}" for k, v in by_market.most_common()))
        pending = [o for o in orders if o["orderStatus"] == "Pending"]
        if pending:
            print(f"  Pending orders carry no buyer or price data, as on Amazon: "
                  f"{sum('orderTotal' in o for o in pending)} of {len(pending)} have an orderTotal")

        heading("2. Orders change; List Orders runs again from the snapshot")
        changed = sandbox.store.tick(12)
        sandbox.clock.advance(180)  # past Amazon's two-minute settling window
        print(f"  the sandbox changed or added {len(changed)} order version(s)")
        second = run_function("listOrders", cfg, snapshot=first.snapshot, ctx=QuietContext())
        fail_on_error(second, "List Orders (second run)")
        again = data_bodies(second)
        repeated = versions(orders) & versions(again)
        print(f"  {len(again)} order version(s) emitted; repeated from the first run: {len(repeated)}")
        for order in again[:5]:
            print(f"    {order['amazonOrderId']}  {order['orderStatus']:<17} updated {order['lastUpdateDate']}")

        heading("3. List Order Items for five orders")
        sample = [o["amazonOrderId"] for o in orders[:5]]
        progress = Progress("orders read", len(sample))
        item_counts = {}
        for order_id in sample:
            ctx = run_function("listOrderItems", cfg, {"body": {"amazonOrderId": order_id}}, ctx=QuietContext())
            fail_on_error(ctx, "List Order Items")
            body = data_bodies(ctx)[0]
            item_counts[order_id] = body["orderItems"]
            progress.step(order_id)
        for order_id, items in item_counts.items():
            first_item = items[0] if items else {}
            price = first_item.get("itemPrice", {})
            print(f"    {order_id}: {len(items)} item(s), e.g. {first_item.get('sellerSKU')} × "
                  f"{first_item.get('quantityOrdered')} {price.get('amount', '(no price yet)')} {price.get('currencyCode', '')}")

        heading("4. Get Order for three ids and one that does not exist")
        ids = [o["amazonOrderId"] for o in orders[5:8]] + ["999-9999999-9999999"]
        ctx = run_function("getOrder", cfg, {"body": {"amazonOrderIds": ids}}, ctx=QuietContext())
        fail_on_error(ctx, "Get Order")
        body = data_bodies(ctx)[0]
        print(f"  found {len(body['orders'])}: " + ", ".join(o["amazonOrderId"] for o in body["orders"]))
        print(f"  not found: {', '.join(body['notFound'])}")

        heading("5. Feeds: product, inventory, price, image and relationship")
        skus = sorted(sandbox.catalogue.skus())[:3]
        product_feed = submit_feed(cfg, "submitProduct", {"items": [
            {"sku": "DEMO-VITC-500", "descriptionData": {"title": "Vitamin C 500 mg, 120 tablets", "brand": "Demo"},
             "productData": {"health": {"productType": {"healthMisc": {}}}}}]},
            operation="Upsert", category="Health")
        print_report(sandbox, cfg, product_feed, "product (Health)")
        # Amazon refuses price, inventory, image and relationship messages for a SKU
        # whose product feed has not finished, so those feeds go after it is _DONE_.
        feeds = [
            ("inventory", submit_feed(cfg, "submitInventory", {"items": [
                {"sku": "DEMO-VITC-500", "quantity": 40, "fulfillmentLatency": 2},
                {"sku": skus[0], "quantity": 0, "restockDate": "2030-01-15"}]})),
            ("price", submit_feed(cfg, "changeProductPrice", {"items": [
                {"sku": "DEMO-VITC-500", "standardPrice": {"value": "12.99", "currency": "USD"}},
                {"sku": "NOT-IN-CATALOGUE", "standardPrice": {"value": "1.00", "currency": "USD"}}]})),
            ("image", submit_feed(cfg, "changeProductImage", {
                "sku": "DEMO-VITC-500", "imageType": "Main", "imageLocation": "https://images.example.com/vitc.jpg"})),
            ("relationship", submit_feed(cfg, "establishProductRelationships", {
                "parentSKU": skus[1], "relation": [{"sku": skus[2], "type": "Accessory"}]})),
        ]
        for label, feed in feeds:
            print_report(sandbox, cfg, feed, label)
        product = sandbox.catalogue["DEMO-VITC-500"]
        print(f"  the sandbox's catalogue now holds DEMO-VITC-500: {product['title']!r}, "
              f"quantity {product['quantity']}, price {product['price']}, images {sorted(product['images'])}")

        heading("6. Acknowledge an order and confirm its shipment")
        order = next(o for o in sandbox.store.all() if o.status == "Unshipped" and o.fulfillment_channel == "MFN")
        acknowledge_and_ship(sandbox, cfg, order, "ERP-10001", "1Z999AA10123456784")
        sandbox.clock.advance(180)
        third = run_function("listOrders", cfg, snapshot=second.snapshot, ctx=QuietContext())
        fail_on_error(third, "List Orders (third run)")
        seen = {o["amazonOrderId"]: o for o in data_bodies(third)}
        shipped = seen.get(order.amazon_order_id, {})
        print(f"  the next List Orders run emits {order.amazon_order_id} as {shipped.get('orderStatus')}: "
              "the order cycle is closed")

        heading("7. Bad input is refused before anything is sent")
        seen_before = len(sandbox.requests)
        for name, body in (("getOrder", {"amazonOrderIds": ["12-34"]}),
                           ("submitInventory", {"items": [{"sku": "A-1", "quantity": 3}, {"sku": "A-2", "quantity": -1}]})):
            ctx = run_function(name, cfg, {"body": body}, ctx=QuietContext())
            print(f"  {name}: {ctx.events[-1]['error']['message']}")
        print(f"  requests the sandbox saw for them: {len(sandbox.requests) - seen_before}")

        spapi_orders_side(sandbox)
        spapi_feeds_side(sandbox)

        print("\n" + "=" * WIDTH)
        print(f"Done in {time.monotonic() - started:.1f} s; the sandbox answered {len(sandbox.requests)} requests.")
        print("=" * WIDTH)
    return 0
