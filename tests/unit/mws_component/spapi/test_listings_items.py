"""perItem (spapi/listings_items.py): one call per message with the right operation, path, query and body;
a quota used up mid-batch reports what was sent and gives back the rest, never sending anything twice."""

import json
from types import SimpleNamespace

import pytest

from mws_component.errors import QuotaExhausted
from mws_component.feeds import describe
from mws_component.feeds.request import FeedRequest
from mws_component.spapi.account import SpApiAccount
from mws_component.spapi.errors import SpApiError
from mws_component.spapi.listings.mapping import ListingsContext, map_items
from mws_component.spapi.listings_items import PerItemNotStarted, submit_per_item

US = "ATVPDKIKX0DER"


class FakePipeline:
    """Answers each call as Amazon would, or raises what `fail_at` says at that call (1-based)."""

    def __init__(self, fail_at=None, error=None):
        self.sent = []
        self.fail_at, self.error = fail_at, error

    def run(self, build, *, deadline=None, sink=None):
        request = build()
        if self.fail_at is not None and len(self.sent) + 1 >= self.fail_at:
            raise self.error
        self.sent.append(request)
        sku = request.url.rsplit("/", 1)[1]
        return {"sku": sku, "status": "ACCEPTED", "submissionId": f"sub-{len(self.sent)}", "issues": []}


def account(pipeline):
    credentials = SimpleNamespace(endpoint="https://sellingpartnerapi-na.amazon.com", marketplace_id=US,
                                  seller_id="A1SELLER")
    return SpApiAccount(credentials, pipeline, authoriser=object())


def request_of(kind, items, operation_type=None):
    messages = tuple(map_items(kind, items, ListingsContext(US), operation_type=operation_type))
    return FeedRequest(describe(kind), operation_type, None, tuple(items), (), submit_mode="perItem",
                       messages=messages)


PRICES = [{"sku": f"SKU-{n}", "standardPrice": {"value": f"{n}.50", "currency": "USD"}} for n in range(5)]


def test_one_patch_per_item_with_the_seller_the_sku_and_issues_asked_for():
    pipeline = FakePipeline()
    out = submit_per_item(account(pipeline), request_of("price", PRICES[:2]))
    assert [r["sku"] for r in out["results"]] == ["SKU-0", "SKU-1"] and "complete" not in out
    first = pipeline.sent[0]
    assert first.method == "PATCH" and first.url.endswith("/listings/2021-08-01/items/A1SELLER/SKU-0")
    assert first.params == {"marketplaceIds": [US], "includedData": ["issues"]}
    assert first.headers["content-type"] == "application/json"
    body = json.loads(first.body)
    assert body["productType"] == "PRODUCT" and body["patches"][0]["path"] == "/attributes/purchasable_offer"


def test_put_for_update_and_delete_without_body():
    items = [{"sku": "A/B 1", "productType": "SHIRT", "attributes": {"item_name": [{"value": "x"}]}},
             {"sku": "GONE", "operationType": "Delete"}]
    pipeline = FakePipeline()
    submit_per_item(account(pipeline), request_of("product", items, "Update"))
    put, delete = pipeline.sent
    assert put.method == "PUT" and put.url.endswith("/A1SELLER/A%2FB%201")
    assert delete.method == "DELETE" and delete.body is None and delete.params == {"marketplaceIds": [US]}


def test_a_quota_used_up_mid_batch_reports_the_sent_and_gives_back_the_rest():
    pipeline = FakePipeline(fail_at=3, error=QuotaExhausted("patchListingsItem used up", retry_after=4))
    out = submit_per_item(account(pipeline), request_of("price", PRICES))
    assert [r["sku"] for r in out["results"]] == ["SKU-0", "SKU-1"] and len(pipeline.sent) == 2
    assert out["complete"] is False
    assert out["notSent"] == [{"index": n, "sku": f"SKU-{n}"} for n in (2, 3, 4)]
    assert out["remaining"] == {"items": PRICES[2:]}


def test_a_relationship_item_half_sent_goes_back_with_only_the_relations_not_sent():
    item = {"parentSKU": "P", "relation": [{"sku": "C1", "type": "Variation"}, {"sku": "C2", "type": "Variation"}]}
    pipeline = FakePipeline(fail_at=2, error=SpApiError("throttled", code="QuotaExceeded", status=429,
                                                        outcome_kind="throttled"))
    out = submit_per_item(account(pipeline), request_of("relationship", [item]))
    assert [r["sku"] for r in out["results"]] == ["C1"]
    assert out["remaining"] == {"items": [{"parentSKU": "P", "relation": [{"sku": "C2", "type": "Variation"}]}]}


def test_no_token_for_the_first_call_is_not_started():
    pipeline = FakePipeline(fail_at=1, error=QuotaExhausted("used up", retry_after=9))
    with pytest.raises(PerItemNotStarted) as raised:
        submit_per_item(account(pipeline), request_of("price", PRICES[:2]))
    assert raised.value.retry_after == 9 and pipeline.sent == []


def test_an_item_amazon_refuses_as_a_request_is_invalid_and_the_batch_goes_on():
    class Refusing(FakePipeline):
        def run(self, build, *, deadline=None, sink=None):
            if len(self.sent) == 0 and not getattr(self, "refused", False):
                self.refused = True
                raise SpApiError("Invalid SKU", code="InvalidInput", status=400)
            return super().run(build, deadline=deadline)
    pipeline = Refusing()
    out = submit_per_item(account(pipeline), request_of("price", PRICES[:2]))
    assert [(r["sku"], r["status"]) for r in out["results"]] == [("SKU-0", "INVALID"), ("SKU-1", "ACCEPTED")]
    assert out["results"][0]["issues"] == [{"code": "InvalidInput", "message": "Invalid SKU", "severity": "ERROR",
                                            "attributeNames": []}]


def test_an_items_own_marketplace_is_the_calls():
    pipeline = FakePipeline()
    item = {"sku": "DE-1", "marketplaceId": "A1PA6795UKMFR9", "imageType": "Main",
            "imageLocation": "https://example.com/a.jpg"}
    submit_per_item(account(pipeline), request_of("image", [item, {**item, "sku": "US-1", "marketplaceId": None}]))
    assert [r.params["marketplaceIds"] for r in pipeline.sent] == [["A1PA6795UKMFR9"], [US]]
