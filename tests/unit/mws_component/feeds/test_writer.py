"""The writer's contract with the SubmitFeed caller: a spooled file at position 0,
its size and Content-MD5, flat memory however many items, escaping done by lxml."""

import base64
import hashlib
import io
import tracemalloc

from lxml import etree

from mws_component.feeds import FEED_TYPES, build_feed_file, describe, write_feed

from .support import SELLER, assert_valid_feed, build_bytes


def inventory(count):
    for i in range(count):
        yield {"sku": f"SKU-{i:07d}", "quantity": i % 100}


def test_feed_file_reports_size_and_md5():
    feed = build_feed_file("inventory", inventory(1000), SELLER)
    with feed.file:
        assert feed.file.tell() == 0
        data = feed.file.read()
    assert feed.size == len(data)
    assert feed.content_md5 == base64.b64encode(hashlib.md5(data).digest()).decode()
    assert feed.message_count == 1000
    file, size, content_md5, count = feed        # also a plain tuple for the caller
    assert (size, count) == (len(data), 1000)


def test_write_feed_into_any_binary_file():
    out = io.BytesIO()
    assert write_feed("inventory", inventory(3), SELLER, out) == 3
    assert out.getvalue() == build_bytes("inventory", list(inventory(3)))[0]


def test_large_feed_spills_to_disk_and_memory_stays_flat():
    build_feed_file("inventory", inventory(1), SELLER).file.close()     # descriptions loaded beforehand
    tracemalloc.start()
    try:
        feed = build_feed_file("inventory", inventory(25_000), SELLER, spool_in_memory=256 * 1024)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    with feed.file:
        assert feed.file._rolled       # noqa: SLF001 - the spool went to a temporary file
        assert feed.message_count == 25_000 and feed.size > 3_500_000
    assert peak < 2 * 2 ** 20, f"peak {peak / 2 ** 20:.1f} MB"


def test_markup_and_entities_are_escaped_and_round_trip(xsd):
    text = "<b>Fish & Chips</b> &amp; ]]> \"quoted\" 'single' &#x41;"
    item = {"sku": "<&>]]>", "descriptionData": {"title": text, "bulletPoint": ["]]>", "&lt;"]}}
    data, _ = build_bytes("product", [item])
    assert b"<b>" not in data and b"]]>" not in data
    root = assert_valid_feed(data)
    assert root.findtext("Message/Product/SKU") == "<&>]]>"
    assert root.findtext("Message/Product/DescriptionData/Title") == text
    assert [b.text for b in root.iter("BulletPoint")] == ["]]>", "&lt;"]


def test_line_breaks_tabs_and_carriage_returns_survive(xsd):
    text = "line 1\r\nline 2\ttab\rcr"
    item = {"sku": "A", "descriptionData": {"title": "T", "description": text}}
    root = assert_valid_feed(build_bytes("product", [item])[0])
    assert root.findtext("Message/Product/DescriptionData/Description") == text


def test_attribute_values_survive(xsd):
    unit = "a\"b<c>&d\te\nf"
    item = {"sku": "A", "productData": {"health": {"productType": {"healthMisc": {
        "unitCount": {"value": 2, "unitOfMeasure": unit}}}}}}
    root = assert_valid_feed(build_bytes("product", [item])[0])
    assert next(root.iter("UnitCount")).get("unitOfMeasure") == unit


def test_describe_table():
    inventory_kind = describe("inventory")
    assert describe("_POST_INVENTORY_AVAILABILITY_DATA_") is inventory_kind
    assert (inventory_kind.feed_type, inventory_kind.message_type, inventory_kind.element) == (
        "_POST_INVENTORY_AVAILABILITY_DATA_", "Inventory", "Inventory")
    assert inventory_kind.operation_types == ("Update", "Delete")
    assert inventory_kind.description.name == "Inventory"
    assert {k.feed_type for k in FEED_TYPES.values()} == {
        "_POST_PRODUCT_DATA_", "_POST_INVENTORY_AVAILABILITY_DATA_", "_POST_PRODUCT_PRICING_DATA_",
        "_POST_PRODUCT_IMAGE_DATA_", "_POST_PRODUCT_RELATIONSHIP_DATA_", "_POST_ORDER_ACKNOWLEDGEMENT_DATA_",
        "_POST_ORDER_FULFILLMENT_DATA_"}
    assert describe("product").operation_types == ("Update", "Delete", "PartialUpdate")


def test_messages_are_written_in_order_with_ids():
    root = etree.fromstring(build_bytes("inventory", list(inventory(25)))[0])
    ids = [int(m.findtext("MessageID")) for m in root.iter("Message")]
    skus = [m.findtext("Inventory/SKU") for m in root.iter("Message")]
    assert ids == list(range(1, 26))
    assert skus == [f"SKU-{i:07d}" for i in range(25)]
