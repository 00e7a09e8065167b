"""The JSON_LISTINGS_FEED writer: documents valid against Amazon's listings-feed schema, streamed, 25,000 at most."""

import base64
import copy
import hashlib
import io
import json
import math
import tempfile

import jsonschema
import pytest

from mws_component.errors import InputError
from mws_component.spapi.listings import feed as feed_module
from mws_component.spapi.listings.feed import (CONTENT_TYPE, MAX_MESSAGES, build_feed_for_items, build_listings_feed,
                                               write_listings_feed)
from mws_component.spapi.listings.mapping import ListingsContext, ListingsMessage, map_item

from .listings_support import US, feed_validator

CONTEXT = ListingsContext(US)
SELLER = "A1EXAMPLE23"


class Recorder(io.BytesIO):
    """A sink that counts the writes it gets."""

    def __init__(self):
        super().__init__()
        self.writes = 0

    def write(self, data):
        self.writes += 1
        return super().write(data)


def mixed_messages():
    return [
        ListingsMessage("NEW-1", "UPDATE", "TOY_FIGURE", "LISTING",
                        attributes={"item_name": [{"value": "Robot – ünïcode ✓", "language_tag": "en_US",
                                                   "marketplace_id": US}]}),
        ListingsMessage("OLD-1", "DELETE", "TOY_FIGURE", "LISTING"),
        ListingsMessage("PART-1", "PARTIAL_UPDATE", "TOY_FIGURE", "LISTING",
                        attributes={"condition_type": [{"value": "new_new", "marketplace_id": US}]}),
        *map_item("inventory", {"sku": "INV-1", "quantity": 3}, 3, CONTEXT),
        *map_item("price", {"sku": "PRICE-1", "standardPrice": {"value": "9.99", "currency": "USD"}}, 4, CONTEXT),
        *map_item("image", {"sku": "IMG-1", "imageType": "Main", "operationType": "Delete"}, 5, CONTEXT),
        *map_item("relationship", {"parentSKU": "P", "relation": [{"sku": "C", "type": "Variation"}]}, 6, CONTEXT),
    ]


def test_document_is_valid_and_shaped_as_amazons():
    feed = build_listings_feed(mixed_messages(), SELLER, issue_locale="en_US")
    with feed.file:
        raw = feed.file.read()
    assert len(raw) == feed.size and feed.message_count == 7
    assert feed.content_md5 == base64.b64encode(hashlib.md5(raw).digest()).decode()
    assert (feed.content_type, feed.feed_type) == (CONTENT_TYPE, "JSON_LISTINGS_FEED")
    document = json.loads(raw.decode("utf-8"))
    feed_validator().validate(document)
    assert document["header"] == {"sellerId": SELLER, "version": "2.0", "issueLocale": "en_US",
                                  "report": {"includedData": ["issues"], "apiVersion": "2021-08-01"}}
    assert [m["messageId"] for m in document["messages"]] == list(range(1, 8))
    assert [m["operationType"] for m in document["messages"]] == ["UPDATE", "DELETE", "PARTIAL_UPDATE"] + ["PATCH"] * 4
    assert document["messages"][1] == {"messageId": 2, "sku": "OLD-1", "operationType": "DELETE"}
    assert document["messages"][0]["attributes"]["item_name"][0]["value"] == "Robot – ünïcode ✓"
    assert "✓".encode() in raw          # UTF-8, not \u escapes


def test_header_without_locale_or_report():
    out = io.BytesIO()
    write_listings_feed(mixed_messages()[:1], SELLER, out, included_data=())
    document = json.loads(out.getvalue())
    feed_validator().validate(document)
    assert document["header"] == {"sellerId": SELLER, "version": "2.0"}


def test_written_one_message_at_a_time():
    out = Recorder()
    count = write_listings_feed(iter(mixed_messages()), SELLER, out)
    assert count == 7 and out.writes == 7 + 2       # the head, each message, the end


def test_items_to_feed():
    items = [{"sku": f"S-{n}", "quantity": n} for n in range(5)]
    feed = build_feed_for_items("inventory", items, CONTEXT, SELLER)
    with feed.file:
        document = json.load(feed.file)
    feed_validator().validate(document)
    assert [m["sku"] for m in document["messages"]] == [f"S-{n}" for n in range(5)]


def test_25000_messages_are_a_valid_feed():
    feed = build_listings_feed((ListingsMessage(f"S-{n}", "DELETE") for n in range(MAX_MESSAGES)), SELLER)
    with feed.file:
        document = json.load(feed.file)
    assert feed.message_count == MAX_MESSAGES == len(document["messages"])
    # the document's own rules (header, 1..25,000 messages) with the schema whose messages are left open,
    # every message's against the full schema would take minutes: the first and last are checked with it
    outline = copy.deepcopy(feed_validator().schema)
    outline["properties"]["messages"]["items"] = {}
    jsonschema.Draft7Validator(outline).validate(document)
    feed_validator().validate({**document, "messages": [document["messages"][0], document["messages"][-1]]})
    assert [m["messageId"] for m in document["messages"]] == list(range(1, MAX_MESSAGES + 1))
    document["messages"].append(document["messages"][-1])
    assert not jsonschema.Draft7Validator(outline).is_valid(document)       # 25,001: Amazon's maxItems


def test_more_than_25000_items_refused_before_anything_is_mapped_or_written(monkeypatch):
    def no_mapping(*args, **kwargs):
        raise AssertionError("mapped")
    monkeypatch.setattr("mws_component.spapi.listings.mapping.map_items", no_mapping)
    with pytest.raises(InputError, match="at most 25,000 messages, got 25,001") as caught:
        build_feed_for_items("inventory", [{"sku": "x"}] * (MAX_MESSAGES + 1), CONTEXT, SELLER)
    assert caught.value.field == "items"
    out = Recorder()
    with pytest.raises(InputError, match="25,001"):
        write_listings_feed([ListingsMessage("S", "DELETE")] * (MAX_MESSAGES + 1), SELLER, out)
    assert out.writes == 0


def test_more_than_25000_from_an_iterator_discards_the_file(monkeypatch):
    made = []
    real = tempfile.SpooledTemporaryFile

    def spy(*args, **kwargs):
        made.append(real(*args, **kwargs))
        return made[-1]
    monkeypatch.setattr(tempfile, "SpooledTemporaryFile", spy)
    messages = (ListingsMessage(f"S-{n}", "DELETE") for n in range(MAX_MESSAGES + 1))
    with pytest.raises(InputError, match="more than 25,000"):
        build_listings_feed(messages, SELLER)
    assert made and made[0].closed


def test_a_bad_item_discards_the_file_and_names_it(monkeypatch):
    made = []
    real = tempfile.SpooledTemporaryFile
    monkeypatch.setattr(tempfile, "SpooledTemporaryFile",
                        lambda *a, **k: made.append(real(*a, **k)) or made[-1])
    with pytest.raises(InputError) as caught:
        build_feed_for_items("image", [{"sku": "A", "imageType": "Main", "imageLocation": "https://x.example/a.jpg"},
                                       {"sku": "B", "imageType": "BKLB", "imageLocation": "https://x.example/b.jpg"}],
                             CONTEXT, SELLER)
    assert caught.value.field == "items[1].imageType" and made[0].closed


def test_not_a_number_is_refused():
    message = ListingsMessage("S", "UPDATE", "T", attributes={"list_price": [{"value": math.nan}]}, item=3)
    with pytest.raises(InputError) as caught:
        write_listings_feed([message], SELLER, io.BytesIO())
    assert caught.value.field == "items[3]"


@pytest.mark.parametrize("seller", ["", None, 12])
def test_seller_id_is_checked(seller):
    with pytest.raises(InputError) as caught:
        write_listings_feed(mixed_messages(), seller, io.BytesIO())
    assert caught.value.field == "sellerId"


def test_empty_feed_refused():
    with pytest.raises(InputError, match="at least one item"):
        build_listings_feed([], SELLER)


def test_the_writer_matches_json_dumps_of_the_whole_document():
    out = io.BytesIO()
    write_listings_feed(mixed_messages(), SELLER, out)
    whole = {"header": feed_module.feed_header(SELLER),
             "messages": [m.feed_message(n) for n, m in enumerate(mixed_messages(), 1)]}
    assert out.getvalue() == json.dumps(whole, ensure_ascii=False, separators=(",", ":")).encode()


def test_feed_for_a_feed_request():
    from types import SimpleNamespace
    from mws_component.feeds import describe
    from mws_component.spapi.listings.feed import build_feed_for_request
    request = SimpleNamespace(kind=describe("product"), operation_type="PartialUpdate", category="TOY_FIGURE",
                              items=[{"sku": "S", "attributes": {"condition_type": [{"value": "new_new"}]}}],
                              marketplace_ids=[US])
    feed = build_feed_for_request(request, SELLER, CONTEXT)
    with feed.file:
        document = json.load(feed.file)
    feed_validator().validate(document)
    assert document["messages"] == [{"messageId": 1, "sku": "S", "operationType": "PARTIAL_UPDATE",
                                     "productType": "TOY_FIGURE", "attributes": {
                                         "condition_type": [{"value": "new_new", "marketplace_id": US}]}}]
