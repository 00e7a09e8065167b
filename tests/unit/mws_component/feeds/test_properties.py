"""Properties, checked against Amazon's XSDs with hypothesis: any value either lands
in the feed as the same value after parsing the XML back, or is refused with an
error naming the field; the writer never accepts what the XSDs reject."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from mws_component.errors import InputError
from mws_component.feeds import FEED_TYPES, build_feed_file

from .support import SELLER, envelope_schema, kind_example, product_item

PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Every code point, including surrogates, controls and non-characters, plus the XML specials.
any_text = st.one_of(
    st.text(st.characters(codec=None, categories=None)),
    st.text(st.sampled_from("<>&'\"]\x00\x01\t\n\r\x0b\ufffe\uffff\ud800 aé€\U0001f600"), max_size=60),
)
XML_CHAR = set("\t\n\r")


def xml_ok(text):
    return all(c in XML_CHAR or "\x20" <= c <= "\ud7ff" or "\ue000" <= c <= "\ufffd" or c >= "\U00010000"
               for c in text)


def written(kind, item, field):
    """The parsed, XSD-valid feed, or None if refused (then the error names `field`)."""
    try:
        feed = build_feed_file(kind, [{"sku": "PAD", "quantity": 1}] * (kind == "inventory") + [item], SELLER)
    except InputError as error:
        index = 1 if kind == "inventory" else 0
        assert error.field == f"items[{index}].{field}", str(error)
        assert str(error).startswith(error.field + ": ")
        return None
    with feed.file:
        root = etree.fromstring(feed.file.read())
    schema = envelope_schema()
    assert schema.validate(root), str(schema.error_log)
    return root


@PROPERTY_SETTINGS
@given(any_text)
@example("S" * 40)
@example("S" * 41)
@example("]]>&lt;<x/>")
def test_sku_text(xsd, text):
    root = written("inventory", {"sku": text, "quantity": 1}, "sku")
    should_pass = 1 <= len(text) <= 40 and xml_ok(text)
    assert (root is not None) == should_pass
    if root is not None:
        assert root.findall("Message/Inventory/SKU")[1].text == text


@PROPERTY_SETTINGS
@given(any_text)
def test_title_and_description_text(xsd, text):
    item = {"sku": "A", "descriptionData": {"title": text, "description": text}}
    root = written("product", item, "descriptionData.title")
    assert (root is not None) == (1 <= len(text) <= 500 and xml_ok(text))
    if root is not None:
        assert root.findtext("Message/Product/DescriptionData/Title") == text
        assert root.findtext("Message/Product/DescriptionData/Description") == text


@PROPERTY_SETTINGS
@given(any_text)
def test_attribute_text(xsd, text):
    item = {"sku": "A", "productData": {"health": {"productType": {"healthMisc": {
        "unitCount": {"value": 1, "unitOfMeasure": text}}}}}}
    root = written("product", item, "productData.health.productType.healthMisc.unitCount.unitOfMeasure")
    assert (root is not None) == (1 <= len(text) <= 50 and xml_ok(text))
    if root is not None:
        assert next(root.iter("UnitCount")).get("unitOfMeasure") == text


@PROPERTY_SETTINGS
@given(any_text)
def test_merchant_order_id_text(xsd, text):
    item = {"amazonOrderID": "123-1234567-1234567", "merchantOrderID": text, "statusCode": "Failure"}
    root = written("orderAcknowledgement", item, "merchantOrderID")
    assert (root is not None) == (len(text) <= 50 and xml_ok(text))
    if root is not None:
        assert (root.findtext("Message/OrderAcknowledgement/MerchantOrderID") or "") == text


@PROPERTY_SETTINGS
@given(any_text)
@example("123-1234567-1234567")
@example("abc-ABCDEFG-äöü1234")
def test_amazon_order_id_pattern(xsd, text):
    root = written("orderAcknowledgement", {"amazonOrderID": text, "statusCode": "Success"}, "amazonOrderID")
    if root is not None:
        assert root.findtext("Message/OrderAcknowledgement/AmazonOrderID") == text


amounts = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, places=None),
    st.decimals(min_value=-10 ** 6, max_value=10 ** 6, places=4),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(),
    st.from_regex(r"\A[+-]?[0-9]{0,22}(\.[0-9]{0,6})?\Z"),
    any_text,
)


@PROPERTY_SETTINGS
@given(amounts)
@example("19.9999")
@example("19.99999")
@example("19.99990")
@example(19.99)
@example(1e22)
def test_price_amount(xsd, value):
    item = {"sku": "A", "standardPrice": {"value": value, "currency": "EUR"}}
    root = written("price", item, "standardPrice.value")
    if root is not None:
        assert Decimal(root.findtext("Message/Price/StandardPrice")) == Decimal(str(value))


@PROPERTY_SETTINGS
@given(amounts)
@example("1.999")
@example("1.990")
def test_msrp_amount(xsd, value):
    item = {"sku": "A", "descriptionData": {"title": "T", "msrp": {"value": value, "currency": "USD"}}}
    root = written("product", item, "descriptionData.msrp.value")
    if root is not None:
        assert Decimal(root.findtext("Message/Product/DescriptionData/MSRP")) == Decimal(str(value))


@PROPERTY_SETTINGS
@given(st.one_of(st.integers(), st.floats(), st.text(max_size=8), st.booleans()))
def test_quantity(xsd, value):
    root = written("inventory", {"sku": "A", "quantity": value}, "quantity")
    whole = isinstance(value, int) and not isinstance(value, bool) or isinstance(value, float) and value.is_integer()
    if whole:
        assert (root is not None) == (0 <= value < 2 ** 200)       # larger ones are refused as too large
    if root is not None:
        assert int(root.findall("Message/Inventory/Quantity")[1].text) == int(Decimal(str(value)))


@PROPERTY_SETTINGS
@given(st.one_of(st.dates().map(datetime.date.isoformat), st.dates(), st.datetimes().map(datetime.datetime.isoformat),
                 st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?\Z"), any_text))
def test_restock_date(xsd, value):
    root = written("inventory", {"sku": "A", "quantity": 1, "restockDate": value}, "restockDate")
    if isinstance(value, datetime.date) or (isinstance(value, str) and len(value) == 10 and "T" not in value
                                            and _real_date(value)):
        assert root is not None
    if root is not None:
        assert root.findtext("Message[2]/Inventory/RestockDate") == str(value)


def _real_date(text):
    try:
        return datetime.date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


@PROPERTY_SETTINGS
@given(st.one_of(st.datetimes(timezones=st.none() | st.timezones()),
                 st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?"
                               r"(Z|[+-][0-9]{2}:[0-9]{2})?\Z"), any_text))
def test_fulfillment_date(xsd, value):
    item = {"amazonOrderID": "123-1234567-1234567", "fulfillmentDate": value}
    root = written("orderFulfillment", item, "fulfillmentDate")
    if isinstance(value, datetime.datetime):
        assert root is not None
        text = root.findtext("Message/OrderFulfillment/FulfillmentDate")
        back = datetime.datetime.fromisoformat(text)
        if value.tzinfo is None:
            assert back == value
        else:       # the same instant (timestamps: == is always false for times in a DST fold)
            assert back.timestamp() == value.timestamp()
    elif root is not None:
        assert root.findtext("Message/OrderFulfillment/FulfillmentDate") == value


@PROPERTY_SETTINGS
@given(st.one_of(any_text, st.builds(lambda host, path: f"https://{host}/{path}",
                                     st.from_regex(r"\A[a-z0-9.-]{1,20}\Z"), any_text)))
@example("https://example.com/a%20b.jpg?x=1&y=2#frag")
@example("http://[::1]:8080/a.jpg")
@example("http://x.com:/a.jpg")
def test_image_location(xsd, value):
    item = {"sku": "A", "imageType": "Main", "imageLocation": value}
    root = written("image", item, "imageLocation")
    if root is not None:
        assert root.findtext("Message/ProductImage/ImageLocation") == value


@pytest.mark.parametrize("value", ["https://example.com/a.jpg", "https://example.com/a%20b.jpg?x=1&y=2",
                                   "http://images.example.co.uk:8080/p/1.png", "https://example.com/é.jpg"])
def test_image_location_accepted(xsd, value):
    assert written("image", {"sku": "A", "imageType": "Main", "imageLocation": value}, "imageLocation") is not None


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | any_text,
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.sampled_from(["value", "currency", "unitOfMeasure", "sku"]) | any_text, children, max_size=3),
    max_leaves=6)


def _leaf_paths(value, path=()):
    if isinstance(value, dict):
        for key, child in value.items():
            yield path + (key,)
            yield from _leaf_paths(child, path + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield path + (index,)
            yield from _leaf_paths(child, path + (index,))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(FEED_TYPES)), st.data())
def test_any_json_is_written_valid_or_refused(xsd, kind, data):
    """Any value anywhere in an item: InputError naming a field under items[0], or XSD-valid XML."""
    item = product_item("Health", full=True) if kind == "product" else kind_example(kind, full=True)
    path = data.draw(st.sampled_from(list(_leaf_paths(item))))
    parent = item
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = data.draw(json_values)
    try:
        feed = build_feed_file(kind, [item], SELLER)
    except InputError as error:
        assert error.field.startswith("items[0]") and str(error).startswith(error.field + ": ")
        return
    with feed.file:
        root = etree.fromstring(feed.file.read())
    assert envelope_schema().validate(root), str(envelope_schema().error_log)
