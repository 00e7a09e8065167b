"""SP-API operations as data, and the quota model (per-operation buckets, x-amzn-RateLimit-Limit, 429)."""

import json
import re

import pytest

from mws_component.spapi.operations import OPERATIONS, Operation, UsagePlan, operation
from mws_component.errors import QuotaExhausted
from mws_component.quota import QuotaBook
from mws_component.spapi.quota import SpApiQuotaModel

from .support import Clock, RawAnswer, Request


def request_for(name):
    op = operation(name)
    return Request(op, op.method, "https://x.example" + op.path, {}, {})


def test_rows_match_the_models(shared_dir):
    """Method, path, usage plan and array parameters as Amazon's model declares them."""
    model = json.loads((shared_dir / "spapi-models/models/orders_2026-01-01.json").read_text())
    declared = {op["operationId"]: (method.upper(), path, op) for path, ops in model["paths"].items()
                for method, op in ops.items()}
    for name, row in OPERATIONS.items():
        if row.api != "orders_2026-01-01":
            continue  # the other models' rows: test_listings_operations.py
        method, path, op = declared[name]
        assert (row.method, row.path) == (method, path)
        rate, burst = re.search(r"\|\s*([\d.]+)\s*\|\s*(\d+)\s*\|", op["description"]).groups()
        assert (row.plan.rate, row.plan.burst) == (float(rate), int(burst))
        arrays = {p["name"]: p.get("maxItems") for p in op["parameters"] if p.get("type") == "array"}
        assert row.arrays == arrays
        for name_, allowed in row.enums.items():
            spec = next(p for p in op["parameters"] if p["name"] == name_)
            assert list(allowed) == spec["items"]["enum"]
    assert operation("searchOrders").quota.interval == pytest.approx(1 / 0.0056)


def test_paths_are_filled_one_encoded_segment_each():
    op = operation("getOrder")
    assert op.url("https://h.example/", orderId="171-9876543-2109876") == \
        "https://h.example/orders/2026-01-01/orders/171-9876543-2109876"
    assert op.url("https://h.example", orderId="a/b c?") == "https://h.example/orders/2026-01-01/orders/a%2Fb%20c%3F"
    with pytest.raises(ValueError, match="orderId"):
        op.url("https://h.example", orderId="")
    with pytest.raises(ValueError, match="sku"):
        op.url("https://h.example", orderId="1", sku="x")


def test_parameters_are_checked_against_the_row():
    op = operation("searchOrders")
    assert op.check_params({"marketplaceIds": ["A"], "paginationToken": None, "fulfillmentStatuses": [],
                            "maxResultsPerPage": 5}) == {"marketplaceIds": ["A"], "maxResultsPerPage": 5}
    with pytest.raises(ValueError, match="marketplaceIds takes at most 50"):
        op.check_params({"marketplaceIds": ["A"] * 51})
    with pytest.raises(ValueError, match="includedData value 'BUYERS'"):
        op.check_params({"includedData": ["BUYER", "BUYERS"]})
    with pytest.raises(ValueError, match="lastUpdatedAfter is not an array"):
        op.check_params({"lastUpdatedAfter": ["x"]})


def test_the_next_issues_rows_fit_the_same_shape():
    """Feeds and Listings rows (next issue): bodies, non-idempotent createFeed, SKU path segments."""
    create_feed = Operation("createFeed", "feeds_2021-06-30", "POST", "/feeds/2021-06-30/feeds",
                            UsagePlan("createFeed", 0.0083, 15), idempotent=False, result_key=None,
                            content_type="application/json", success=(202,))
    put_item = Operation("putListingsItem", "listingsItems_2021-08-01", "PUT",
                         "/listings/2021-08-01/items/{sellerId}/{sku}", UsagePlan("putListingsItem", 5, 10),
                         arrays={"marketplaceIds": 1, "includedData": None}, content_type="application/json")
    get_feeds = Operation("getFeeds", "feeds_2021-06-30", "GET", "/feeds/2021-06-30/feeds",
                          UsagePlan("getFeeds", 0.0222, 10), arrays={"feedTypes": 10, "marketplaceIds": 10},
                          result_key="feeds", page_token="nextToken", next_token_path=("nextToken",), token_alone=True)
    assert not create_feed.idempotent and create_feed.quota.interval == pytest.approx(120.48, abs=0.01)
    assert put_item.path_params == ("sellerId", "sku")
    assert put_item.url("https://h", sellerId="A1", sku="SKU/1 x") == "https://h/listings/2021-08-01/items/A1/SKU%2F1%20x"
    with pytest.raises(ValueError, match="at most 1"):
        put_item.check_params({"marketplaceIds": ["A", "B"]})
    assert get_feeds.token_alone and get_feeds.page_token == "nextToken"


@pytest.fixture
def clock():
    return Clock()


def test_buckets_are_per_operation_and_per_seller_and_seeded_from_the_row(clock):
    model = SpApiQuotaModel(QuotaBook(clock=clock, sleep=clock.sleep))
    search_a = model.quota_for(request_for("searchOrders"), ("A1", "NA"))
    assert model.quota_for(request_for("searchOrders"), ("A1", "NA")).bucket is search_a.bucket
    assert model.quota_for(request_for("searchOrders"), ("A1", "EU")).bucket is not search_a.bucket
    get_a = model.quota_for(request_for("getOrder"), ("A1", "NA"))
    assert get_a.bucket is not search_a.bucket and (get_a.rate, get_a.plan.burst) == (pytest.approx(0.5), 30)
    for _ in range(20):  # searchOrders' burst
        assert model.acquire(search_a, deadline=clock() + 1) == 0.0
    with pytest.raises(QuotaExhausted) as caught:
        model.acquire(search_a, deadline=clock() + 60)
    assert caught.value.retry_after == pytest.approx(1 / 0.0056 + 1.0)  # the interval and its lead (capped at 1 s)
    assert model.acquire(get_a, deadline=clock()) == 0.0  # another operation's bucket is untouched


def test_acquire_waits_for_the_next_token_within_the_deadline(clock):
    model = SpApiQuotaModel(QuotaBook(clock=clock, sleep=clock.sleep))
    quota = model.quota_for(request_for("getOrder"), "seller")
    for _ in range(30):
        model.acquire(quota)
    waited = model.acquire(quota, deadline=clock() + 10)
    # 0.5/s: one interval of 2 s and a lead of 5 % of it past the token (SP-API counts from arrival)
    assert waited == pytest.approx(2.1) and sum(clock.slept) == pytest.approx(2.1)
    assert model.acquire(quota, deadline=clock() + 10) == pytest.approx(2.0)  # then exactly one interval apart


def test_the_servers_rate_limit_header_replaces_the_rate(clock):
    model = SpApiQuotaModel(QuotaBook(clock=clock, sleep=clock.sleep))
    quota = model.quota_for(request_for("searchOrders"), "seller")
    model.observe(quota, RawAnswer(200, {"x-amzn-ratelimit-limit": "0.0167"}))
    assert quota.rate == pytest.approx(0.0167) and quota.interval == pytest.approx(1 / 0.0167)
    for bad in ("", "abc", "-1", "0", "nan", "inf"):
        model.observe(quota, RawAnswer(200, {"x-amzn-ratelimit-limit": bad}))
    model.observe(quota, RawAnswer(200, {}))
    assert quota.rate == pytest.approx(0.0167)


def test_a_429_blocks_for_one_restore_interval(clock):
    model = SpApiQuotaModel(QuotaBook(clock=clock, sleep=clock.sleep))
    quota = model.quota_for(request_for("getOrder"), "seller")
    assert model.throttled(quota, RawAnswer(429, {})) == pytest.approx(2.0)
    assert model.next_delay(quota) == pytest.approx(2.0)
    # a 429 that tells the rate waits by that rate
    assert model.throttled(quota, RawAnswer(429, {"x-amzn-ratelimit-limit": "0.25"})) == pytest.approx(4.0)


def test_the_model_runs_on_a_scaled_clock(clock):
    model = SpApiQuotaModel(QuotaBook(100, clock=clock, sleep=clock.sleep))
    quota = model.quota_for(request_for("searchOrders"), "seller")
    assert quota.interval == pytest.approx(1 / 0.0056 / 100)
    model.observe(quota, RawAnswer(200, {"x-amzn-ratelimit-limit": "1"}))
    assert model.throttled(quota, RawAnswer(429, {})) == pytest.approx(0.01)
