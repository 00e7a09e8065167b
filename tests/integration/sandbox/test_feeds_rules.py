"""The rules each feed is checked against: the envelope as a whole, then each message type's values.

A whole-document problem gives one Error at MessageID 0 and changes nothing;
a bad message gives an Error for that message, naming its SKU, and the
others are applied.
"""

import pytest
from lxml import etree
from lxml.builder import E

from .feedkit import IMAGES, INVENTORY, PRICING, PRODUCT, RELATIONSHIPS, SELLER, US, envelope, inventory, price

DOCUMENT_ERROR = (0, 0, 1, 0)


def first(report):
    assert report.results, "no results"
    return report.results[0]


# -- the envelope ---------------------------------------------------------------------------

def test_not_well_formed_xml_names_line_and_column(instant, feeds):
    sku = instant.catalogue.skus()[0]
    body = envelope("Inventory", inventory(sku, 9)).replace(b"</Quantity>", b"</Quantiy>")
    report = feeds.report(INVENTORY, body)
    assert report.summary == DOCUMENT_ERROR
    result = first(report)
    assert (result["id"], result["kind"], result["code"]) == (0, "Error", 5000)
    assert result["text"].startswith("XML Parsing Error at Line 2, Column ")  # after the declaration
    assert "Opening and ending tag mismatch" in result["text"]
    assert instant.catalogue[sku]["quantity"] != 9


def test_a_broken_end_spoils_the_whole_feed(instant, feeds):
    sku = instant.catalogue.skus()[0]
    body = envelope("Inventory", inventory(sku, 9), inventory(sku, 10))[:-30]  # cut off near the end
    report = feeds.report(INVENTORY, body)
    assert report.summary == DOCUMENT_ERROR and first(report)["code"] == 5000
    assert instant.catalogue[sku]["quantity"] not in (9, 10)


@pytest.mark.parametrize("body", [
    b"sku\tquantity\nA\t1\n",
    b"",
    b"<?xml version='1.0'?>\n<AmazonEnvelope>\n<Header><DocumentVersion>1.01</DocumentVersion>"
    b"<MerchantIdentifier>A1SANDBOXSELLER</MerchantIdentifier></Header>\n<MessageType>Inventory</MessageType>\n"
    b"<Message><MessageID>1</MessageID><Inventory><SKU>&undefined;</SKU></Inventory></Message>"
    b"</AmazonEnvelope>",
], ids=["flat-file", "empty", "undefined-entity"])
def test_other_unparsable_bodies(feeds, body):
    report = feeds.report(INVENTORY, body) if body else None
    if report is None:
        return  # an empty body is refused by SubmitFeed itself (test_feeds_api)
    assert report.summary == DOCUMENT_ERROR and first(report)["code"] == 5000
    assert first(report)["text"].startswith("XML Parsing Error at Line ")


def test_entities_are_never_expanded(instant, feeds):
    laughs = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
              + b"".join(b'<!ENTITY lol%d "%s">' % (n, b"".join([b"&lol%d;" % (n - 1) if n > 1 else b"&lol;"] * 10))
                         for n in range(1, 10))
              + b']>\n<AmazonEnvelope><Header><DocumentVersion>1.01</DocumentVersion><MerchantIdentifier>'
              + SELLER.encode() + b"</MerchantIdentifier></Header><MessageType>Inventory</MessageType>"
              + b"<Message><MessageID>1</MessageID><Inventory><SKU>&lol9;</SKU><Quantity>1</Quantity></Inventory>"
              + b"</Message></AmazonEnvelope>")
    external = envelope("Inventory", inventory("PLACEHOLDER", 1)).replace(
        b"?>", b'?>\n<!DOCTYPE x [<!ENTITY ext SYSTEM "file:///etc/passwd">]>', 1).replace(b"PLACEHOLDER", b"&ext;")
    report = feeds.report(INVENTORY, laughs)  # libxml2 stops the amplification itself
    assert report.summary == DOCUMENT_ERROR and first(report)["code"] in (5000, 5001)
    assert b"lollol" not in report.body
    report = feeds.report(INVENTORY, external)
    assert report.summary == DOCUMENT_ERROR
    assert (first(report)["code"], "DOCTYPE" in first(report)["text"]) == (5001, True)
    assert b"root:" not in report.body


def envelope_with(*, root="AmazonEnvelope", version="1.01", merchant=SELLER, message_type="Inventory",
                  messages=None, extra=()):
    element = etree.Element(root)
    header = E.Header(E.DocumentVersion(version))
    if merchant is not None:
        header.append(E.MerchantIdentifier(merchant))
    element.append(header)
    element.append(E.MessageType(message_type))
    for child in extra:
        element.append(child)
    for message in messages if messages is not None else [E.Message(E.MessageID("1"), inventory("A", 1))]:
        element.append(message)
    return etree.tostring(element)


@pytest.mark.parametrize("body, reason", [
    (envelope_with(root="Envelope"), "root element must be AmazonEnvelope"),
    (envelope_with(root="{urn:amazon}AmazonEnvelope"), "without a namespace"),
    (envelope_with(merchant="A2OTHERSELLER"), "MerchantIdentifier [A2OTHERSELLER]"),
    (envelope_with(merchant=None), "MerchantIdentifier is missing"),
    (envelope_with(version="one"), "DocumentVersion [one]"),
    (envelope_with(message_type="Price"), "does not match the FeedType"),
    (envelope_with(message_type="Stock"), "MessageType [Stock] is not one of"),
    (envelope_with(messages=[]), "the element Message is missing"),
    (envelope_with(extra=[E.Surprise("x")]), "element Surprise is not allowed"),
    (envelope_with(messages=[E.Message(E.MessageID("1"), inventory("A", 1)), E.Trailer()]),
     "element Trailer is not allowed"),
    (envelope_with(messages=[E.Message(E.MessageID("0"), inventory("A", 1))]), "MessageID [0]"),
    (envelope_with(messages=[E.Message(E.MessageID("-3"), inventory("A", 1))]), "MessageID [-3]"),
    (envelope_with(messages=[E.Message(inventory("A", 1))]), "must start with its MessageID"),
    (envelope_with(messages=[E.Message(E.MessageID("1"), inventory("A", 1)),
                             E.Message(E.MessageID("1"), inventory("B", 1))]), "MessageID 1 is used twice"),
    (envelope_with(messages=[E.Message(E.MessageID("1"), E.OperationType("Upsert"), inventory("A", 1))]),
     "OperationType [Upsert]"),
    (envelope_with(messages=[E.Message(E.MessageID("1"), price("A", 1))]), "holds Price"),
    (envelope_with(messages=[E.Message(E.MessageID("1"), inventory("A", 1), inventory("B", 1))]),
     "exactly one Inventory"),
    (envelope_with(messages=[E.Message(E.MessageID("1"))]), "exactly one Inventory"),
    (envelope_with(extra=[E.PurgeAndReplace("maybe")]), "PurgeAndReplace [maybe]"),
], ids=lambda value: value if isinstance(value, str) else None)
def test_envelope_errors_reject_the_whole_document(instant, feeds, body, reason):
    report = feeds.report(INVENTORY, body)
    assert report.summary == DOCUMENT_ERROR
    result = first(report)
    assert (result["id"], result["kind"], result["code"]) == (0, "Error", 5001)
    assert result["text"].startswith("The XML you submitted is ill-formed at the Amazon Envelope XML level")
    assert reason in result["text"], result["text"]


def test_optional_envelope_parts_and_operation_types_are_accepted(instant, feeds):
    sku = instant.catalogue.skus()[0]
    body = envelope_with(extra=[E.PurgeAndReplace("false"), E.EffectiveDate("2024-01-01T00:00:00Z")],
                         messages=[E.Message(E.MessageID("7"), E.OperationType("Update"), inventory(sku, 4))])
    report = feeds.report(INVENTORY, body)
    assert report.summary == (1, 1, 0, 0) and report.results == []
    assert instant.catalogue[sku]["quantity"] == 4


def test_the_documentation_product_example_is_accepted(shared_dir, instant, feeds):
    body = (shared_dir / "mws-samples" / "docs" / "SubmitFeed-example1.xml").read_bytes()
    body = body.replace(b"M_EXAMPLE_123456", SELLER.encode())
    report = feeds.report(PRODUCT, body)
    assert report.summary == (1, 1, 0, 0)
    product = instant.catalogue["56789"]
    assert product["title"] == "Example Product Title" and product["category"] == "Health"
    assert product["product_type"] == "HealthMisc" and product["msrp"] == {"amount": "25.19", "currency": "USD"}
    assert product["bullet_points"] == ["Example Bullet Point 1", "Example Bullet Point 2"]


# -- Inventory ------------------------------------------------------------------------------

def test_inventory_rules_and_changes(instant, feeds):
    skus = instant.catalogue.skus()
    report = feeds.report(INVENTORY, envelope(
        "Inventory",
        inventory(skus[0], 12, FulfillmentLatency=3, RestockDate="2030-01-31"),  # 1 ok
        inventory(skus[1], -1),  # 2 negative
        inventory(skus[2], "2.5"),  # 3 not whole
        inventory("", 1),  # 4 empty SKU
        inventory("S" * 41, 1),  # 5 too long
        inventory("NOT-IN-CATALOGUE", 1),  # 6 unknown
        inventory(skus[3]),  # 7 neither Quantity nor Available
        E.Inventory(E.SKU(skus[4]), E.Available("false")),  # 8 ok
        E.Inventory(E.SKU(skus[5]), E.Available("true"), E.Quantity("3")),  # 9 both
        inventory(skus[6], 1, RestockDate="2030-01-31T00:00:00Z"),  # 10 a dateTime is not a date
        inventory(skus[7], 1, FulfillmentLatency=0),  # 11 not positive
        inventory(skus[8], 1, SwitchFulfillmentTo="FBA"),  # 12 unknown value
        E.Inventory(E.SKU(skus[9]), E.Lookup("FulfillmentNetwork")),  # 13 ok: Amazon counts it
        ("Delete", inventory(skus[10])),  # 14 ok: no stock
    ))
    assert report.summary == (14, 4, 10, 0)
    assert [(r["id"], r["code"]) for r in report.results] == [
        (2, 99010), (3, 99010), (4, 99001), (5, 99010), (6, 13013), (7, 99001), (9, 99010), (10, 99010),
        (11, 99010), (12, 99010)]
    by_id = {r["id"]: r for r in report.results}
    assert by_id[2]["sku"] == skus[1] and "must not be negative" in by_id[2]["text"]
    assert by_id[6]["sku"] == "NOT-IN-CATALOGUE" and "does not exist" in by_id[6]["text"]
    assert by_id[4]["sku"] is None and by_id[5]["sku"] is None  # not SKUs the report could carry
    first_product = instant.catalogue[skus[0]]
    assert (first_product["quantity"], first_product["available"], first_product["fulfillment_latency"],
            first_product["restock_date"]) == (12, True, 3, "2030-01-31")
    assert instant.catalogue[skus[4]]["available"] is False
    assert instant.catalogue[skus[9]]["fulfillment_channel"] == "AFN"
    assert (instant.catalogue[skus[10]]["quantity"], instant.catalogue[skus[10]]["available"]) == (0, False)


def test_order_skus_are_in_the_catalogue(instant):
    order_skus = {item.seller_sku for order in instant.store.all() for item in order.items}
    assert order_skus and order_skus <= set(instant.catalogue)


# -- Price ----------------------------------------------------------------------------------

def test_price_rules_and_changes(instant, feeds):
    skus = instant.catalogue.skus()
    report = feeds.report(PRICING, envelope(
        "Price",
        price(skus[0], "19.99"),  # 1 ok
        price(skus[1], "19.99999"),  # 2 five decimals (Price.xsd allows four)
        price(skus[2], "19.99", "XXX"),  # 3 unknown currency
        E.Price(E.SKU(skus[3]), E.StandardPrice("5.00")),  # 4 no currency
        price(skus[4], "abc"),  # 5 not a number
        price(skus[5], "-1.00"),  # 6 negative
        price("NO-SUCH-SKU", "1.00"),  # 7 unknown SKU
        E.Price(E.SKU(skus[6])),  # 8 nothing to change: a warning
        E.Price(E.SKU(skus[7]), E.StandardPrice("10.00", currency="EUR"),
                E.Sale(E.StartDate("2030-01-01T00:00:00Z"), E.EndDate("2030-02-01T00:00:00Z"),
                       E.SalePrice("8.0000", currency="EUR"))),  # 9 ok, with a sale
        E.Price(E.SKU(skus[8]), E.StandardPrice("10.00", currency="EUR"),
                E.Sale(E.StartDate("2030-02-01T00:00:00Z"), E.EndDate("2030-01-01T00:00:00Z"),
                       E.SalePrice("8", currency="EUR"))),  # 10 ends before it starts
        price(skus[9], "19.9999", "DEFAULT"),  # 11 ok: four decimals and DEFAULT
    ))
    assert report.summary == (11, 4, 7, 1)
    assert [(r["id"], r["kind"], r["code"]) for r in report.results] == [
        (2, "Error", 99010), (3, "Error", 99010), (4, "Error", 99001), (5, "Error", 99010), (6, "Error", 99010),
        (7, "Error", 13013), (8, "Warning", 10001), (10, "Error", 99010)]
    assert "at most 4 decimal places" in report.results[0]["text"]
    assert instant.catalogue[skus[0]]["price"] == {"amount": "19.99", "currency": "USD"}
    sale = instant.catalogue[skus[7]]["sale"]
    assert (sale["amount"], sale["currency"]) == ("8.0000", "EUR")
    assert instant.catalogue[skus[9]]["price"] == {"amount": "19.9999", "currency": "DEFAULT"}
    unchanged = instant.catalogue[skus[1]]["price"]
    assert unchanged["amount"] != "19.99999"


# -- Product --------------------------------------------------------------------------------

def product(sku, title=None, **children):
    payload = E.Product(E.SKU(sku))
    for name, value in children.items():
        payload.append(value if isinstance(value, etree._Element) else E(name, value))
    if title is not None:
        payload.append(E.DescriptionData(E.Title(title)))
    return payload


def test_product_create_update_partial_update_delete(instant, feeds, envelope_schema):
    existing = instant.catalogue.skus()[0]
    report = feeds.report(PRODUCT, envelope(
        "Product",
        product("NEW-1", "A new lamp", StandardProductID=E.StandardProductID(E.Type("EAN"), E.Value("4006381333931")),
                ProductData=E.ProductData(E.Lighting(E.ProductType(E.LightsAndFixtures())))),  # 1 created
        product("NEW-2"),  # 2 cannot create without a title
        ("PartialUpdate", product(existing, Condition=E.Condition(E.ConditionType("Refurbished")))),  # 3 ok
        ("PartialUpdate", product("NEVER-SEEN", "x")),  # 4 unknown
        ("PartialUpdate", product(existing)),  # 5 nothing to update: a warning
        product("NEW-3", "t" * 501),  # 6 title too long
        product("NEW-4", "x", StandardProductID=E.StandardProductID(E.Type("SKU"), E.Value("12345678"))),  # 7
        product("NEW-5", "x", StandardProductID=E.StandardProductID(E.Type("UPC"), E.Value("123"))),  # 8
        E.Product(E.SKU("NEW-6"), E.DescriptionData(E.Title("x"), *[E.BulletPoint(str(n)) for n in range(6)])),
        E.Product(E.SKU("NEW-7"), E.DescriptionData(E.Title("x"), E.MSRP("1.999", currency="USD"))),  # 10
        ("Delete", product("NEVER-SEEN-EITHER")),  # 11 unknown
    ))
    envelope_schema.assertValid(report.root)  # errors and a warning
    assert report.summary == (11, 3, 8, 1)
    assert [(r["id"], r["kind"], r["code"]) for r in report.results] == [
        (2, "Error", 8560), (4, "Error", 13013), (5, "Warning", 10001), (6, "Error", 99010), (7, "Error", 99010),
        (8, "Error", 99010), (9, "Error", 99010), (10, "Error", 99010), (11, "Error", 13013)]
    created = instant.catalogue["NEW-1"]
    assert (created["title"], created["category"]) == ("A new lamp", "Lighting")
    assert created["product_type"] == "LightsAndFixtures"
    assert created["standard_product_id"] == {"type": "EAN", "value": "4006381333931"}
    assert created["quantity"] == 0 and created["price"] is None
    assert instant.catalogue[existing]["condition"] == "Refurbished"
    assert "NEW-2" not in instant.catalogue

    # Update replaces the product's attributes but keeps its offer (price, stock); Delete removes it.
    before = instant.catalogue[existing]
    report = feeds.report(PRODUCT, envelope("Product", product(existing, "Renamed")))
    assert report.summary == (1, 1, 0, 0)
    after = instant.catalogue[existing]
    assert after["title"] == "Renamed" and after["condition"] is None
    assert (after["price"], after["quantity"]) == (before["price"], before["quantity"])
    assert feeds.report(PRODUCT, envelope("Product", ("Delete", product(existing)))).summary == (1, 1, 0, 0)
    assert existing not in instant.catalogue
    report = feeds.report(INVENTORY, envelope("Inventory", inventory(existing, 1)))
    assert first(report)["code"] == 13013


def test_a_new_product_can_take_inventory_and_prices_once_done(instant, feeds):
    assert feeds.report(PRODUCT, envelope("Product", product("FRESH-1", "Fresh"))).summary == (1, 1, 0, 0)
    assert feeds.report(INVENTORY, envelope("Inventory", inventory("FRESH-1", 8))).summary == (1, 1, 0, 0)
    assert feeds.report(PRICING, envelope("Price", price("FRESH-1", "3.50"))).summary == (1, 1, 0, 0)
    assert instant.catalogue["FRESH-1"]["quantity"] == 8


# -- ProductImage ---------------------------------------------------------------------------

def image(sku, image_type, location=None):
    payload = E.ProductImage(E.SKU(sku), E.ImageType(image_type))
    if location is not None:
        payload.append(E.ImageLocation(location))
    return payload


def test_image_rules_and_changes(instant, feeds):
    sku = instant.catalogue.skus()[0]
    markets = {"MarketplaceIdList.Id.1": US}
    report = feeds.report(IMAGES, envelope(
        "ProductImage",
        image(sku, "Main", "https://images.example.com/main.jpg"),  # 1
        image(sku, "PT1", "http://images.example.com/pt1.jpg"),  # 2
        image(sku, "PM01", "http://images.example.com/x.jpg"),  # 3 not in the XSD set
        image(sku, "Swatch"),  # 4 an update needs a location
        image(sku, "Swatch", "ftp://images.example.com/x.jpg"),  # 5 not http
        image("NO-SUCH", "Main", "http://images.example.com/x.jpg"),  # 6 unknown SKU
    ), **markets)
    assert report.summary == (6, 2, 4, 0)
    assert [(r["id"], r["code"]) for r in report.results] == [(3, 99010), (4, 99001), (5, 99010), (6, 13013)]
    assert instant.catalogue[sku]["images"] == {"Main": "https://images.example.com/main.jpg",
                                                "PT1": "http://images.example.com/pt1.jpg"}
    report = feeds.report(IMAGES, envelope("ProductImage", ("Delete", image(sku, "PT1"))), **markets)
    assert report.summary == (1, 1, 0, 0)
    assert instant.catalogue[sku]["images"] == {"Main": "https://images.example.com/main.jpg"}


# -- Relationship ---------------------------------------------------------------------------

def relationship(parent, *relations):
    return E.Relationship(E.ParentSKU(parent), *[E.Relation(E.SKU(sku), E.Type(kind)) for sku, kind in relations])


def test_relationship_rules_and_changes(instant, feeds):
    parent, child, other = instant.catalogue.skus()[:3]
    report = feeds.report(RELATIONSHIPS, envelope(
        "Relationship",
        relationship(parent, (child, "Variation"), (other, "Accessory")),  # 1
        relationship("NO-PARENT", (child, "Variation")),  # 2 unknown parent
        relationship(parent, ("NO-CHILD", "Variation")),  # 3 unknown child
        relationship(parent, (child, "Cousin")),  # 4 unknown type
        relationship(parent),  # 5 no Relation
    ))
    assert report.summary == (5, 1, 4, 0)
    assert [(r["id"], r["code"], r["sku"]) for r in report.results] == [
        (2, 8007, "NO-PARENT"), (3, 13013, "NO-CHILD"), (4, 99010, parent), (5, 99001, parent)]
    assert instant.catalogue[parent]["relations"] == [{"sku": child, "type": "Variation"},
                                                      {"sku": other, "type": "Accessory"}]
    report = feeds.report(RELATIONSHIPS, envelope("Relationship",
                                                  ("Delete", relationship(parent, (other, "Accessory")))))
    assert report.summary == (1, 1, 0, 0)
    assert instant.catalogue[parent]["relations"] == [{"sku": child, "type": "Variation"}]


# -- types without sandbox rules ------------------------------------------------------------

def test_override_messages_are_accepted_with_a_warning(instant, feeds):
    body = envelope("Override", E.Override(E.SKU(instant.catalogue.skus()[0])))
    report = feeds.report("_POST_PRODUCT_OVERRIDES_DATA_", body)
    assert report.summary == (1, 1, 0, 1)
    assert [(r["id"], r["kind"], r["code"]) for r in report.results] == [(1, "Warning", 10002)]
