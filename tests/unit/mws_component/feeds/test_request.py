"""FeedRequest: built once at the action's edge, every item checked once, written without a second check."""

import pytest

from mws_component.errors import InputError
from mws_component.feeds import FeedRequest, build_feed_file, feed_request, resolve_category
from mws_component.feeds import request as request_module

from .support import SELLER, assert_valid_feed

INVENTORY = [{"sku": f"S-{n}", "quantity": n} for n in range(1, 6)]
HEALTH = {"sku": "H-1", "descriptionData": {"title": "Vitamin C"},
          "productData": {"health": {"productType": {"healthMisc": {}}}}}
TOY = {"sku": "T-1", "descriptionData": {"title": "Kite"},
       "productData": {"toys": {"productType": {"toysAndGames": {}}, "ageRecommendation": {}}}}


def written(request):
    feed = request.write(SELLER)
    with feed.file:
        return feed.file.read(), feed


def test_items_are_checked_once_when_built_and_not_again_when_written(monkeypatch, xsd):
    calls = []
    real = request_module.message_checker

    def counting(*args, **kwargs):
        check = real(*args, **kwargs)
        return lambda item, path: (calls.append(path), check(item, path))[1]
    monkeypatch.setattr(request_module, "message_checker", counting)
    request = feed_request("inventory", INVENTORY, "Update")
    assert calls == [f"items[{n}]" for n in range(5)]
    data, feed = written(request)
    assert len(calls) == 5 and feed.message_count == 5 == request.message_count
    assert_valid_feed(data)


def test_what_is_written_is_what_the_feed_writer_writes_for_the_same_items():
    request = feed_request("price", [{"sku": "A", "standardPrice": {"value": "19.990000", "currency": "USD"}}], "Update")
    data, feed = written(request)
    reference = build_feed_file("price", [{"sku": "A", "standardPrice": {"value": "19.990000", "currency": "USD"}}],
                                SELLER, "Update")
    with reference.file:
        assert data == reference.file.read() and feed.content_md5 == reference.content_md5


def test_the_request_carries_the_feed_operation_type_and_category():
    request = feed_request("product", [HEALTH], "PartialUpdate", category="Health", marketplace_ids=["ATVPDKIKX0DER"])
    assert isinstance(request, FeedRequest)
    assert request.kind.key == "product" and request.operation_type == "PartialUpdate"
    assert request.category == resolve_category("Health") and request.marketplace_ids == ("ATVPDKIKX0DER",)
    assert feed_request("orderAcknowledgement", [{"amazonOrderID": "123-1234567-1234567", "statusCode": "Success"}]
                        ).operation_type is None
    assert feed_request("inventory", INVENTORY).operation_type == "Update"   # the kind's default, for library use


def test_errors_name_the_item_by_the_path_the_message_gives_it():
    items = INVENTORY[:3] + [{"sku": "S" * 41, "quantity": 1}]
    with pytest.raises(InputError) as error:
        feed_request("inventory", items, path_of=lambda i: f"body.items[{i}]")
    assert error.value.field == "body.items[3].sku" and str(error.value).startswith("body.items[3].sku: ")
    with pytest.raises(InputError) as error:
        feed_request("inventory", [{"sku": "A", "quantty": 1}], path_of=lambda i: "body")
    assert error.value.field == "body.quantty" and "did you mean 'quantity'" in str(error.value)


def test_the_operation_type_is_checked_once_under_the_name_the_caller_gives():
    with pytest.raises(InputError) as error:
        feed_request("inventory", INVENTORY, "PartialUpdate", operation_field="operation")
    assert error.value.field == "operation" and str(error.value).startswith("operation: 'PartialUpdate' is not one of")


@pytest.mark.parametrize("key", ["Health", "HEALTH", "toys"])
def test_another_key_under_product_data_says_which_key_the_category_takes(key):
    item = dict(HEALTH, productData={key: {"productType": {"healthMisc": {}}}})
    with pytest.raises(InputError) as error:
        feed_request("product", [item], "Update", category="Health")
    assert error.value.field == f"items[0].productData.{key}"
    assert str(error.value) == f"items[0].productData.{key}: this feed's category takes the key health, not {key!r}"
    assert "autoAccessory" not in str(error.value)      # not the 30 categories' keys


def test_items_that_each_name_their_category_are_checked_against_it_once(xsd):
    def category_of(item, path):
        return resolve_category(item["category"], field=f"{path}.category"), {
            k: v for k, v in item.items() if k != "category"}
    items = [dict(HEALTH, category="Health"), dict(TOY, category="Toys & Games")]
    request = feed_request("product", items, "Update", category_of=category_of)
    assert request.category is None and [p["sku"] for _, p in request.items] == ["H-1", "T-1"]
    assert_valid_feed(written(request)[0])
    with pytest.raises(InputError) as error:
        feed_request("product", [dict(TOY, category="Health")], "Update", category_of=category_of)
    assert error.value.field == "items[0].productData.toys"
