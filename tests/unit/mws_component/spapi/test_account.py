"""SpApiAccount without HTTP: the requests it builds, the paginator, orders by id, verify's reasons.

A fake pipeline stands in for core's: `run(build, deadline)` builds the request, the real
LwaAuthoriser encodes it (with a token already granted), and a scripted answer comes back.
"""

from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import pytest

from mws_component.errors import ConfigurationError, ResponseError, TransportError
from mws_component.spapi.account import SpApiAccount
from mws_component.spapi.errors import CredentialsRefused, LwaError, SpApiError
from mws_component.spapi.lwa import LwaAuthoriser, TokenCache
from mws_component.spapi.orders import ITEM_INCLUDED_DATA, ORDER_INCLUDED_DATA

from .support import ACCESS, Request, credentials

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
AFTER = datetime(2026, 2, 28, 0, 0, tzinfo=timezone.utc)


def order(order_id, updated="2026-02-28T10:00:00Z", status="UNSHIPPED"):
    return {"orderId": order_id, "createdTime": "2026-02-28T09:00:00Z", "lastUpdatedTime": updated,
            "salesChannel": {"channelName": "AMAZON", "marketplaceId": "ATVPDKIKX0DER"},
            "fulfillment": {"fulfillmentStatus": status, "fulfilledBy": "MERCHANT"},
            "orderItems": [{"orderItemId": "1", "quantityOrdered": 1, "product": {"asin": "B1"}}]}


class Clock:
    known = True

    def now(self):
        return NOW


class Endpoint:
    clock = Clock()


class FakePipeline:
    def __init__(self, answers, authoriser):
        self.answers = list(answers)
        self.authoriser = authoriser
        self.endpoint = Endpoint()
        self.sent = []  # (the authorised Request, deadline)

    def run(self, build, *, deadline=None, sink=None):
        request = self.authoriser.authorise(build(), self.endpoint.clock.now())
        self.sent.append((request, deadline))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def queries(self):
        return [urlsplit(r.url).query for r, _ in self.sent]


def account(answers=(), **overrides):
    creds = credentials(**overrides)
    authoriser = LwaAuthoriser(creds, cache=TokenCache())
    authoriser._grant = lambda: (ACCESS, 3600.0)  # the grant itself is test_lwa's business
    pipeline = FakePipeline(answers, authoriser)
    return SpApiAccount(creds, pipeline, request_class=Request), pipeline


def pages_of(acct, **kwargs):
    args = dict(after=AFTER, before=None, statuses=["Unshipped"], marketplace_ids=["ATVPDKIKX0DER"], page_size=50)
    return list(acct.orders_updated(**(args | kwargs)))


INCLUDED = ",".join(ORDER_INCLUDED_DATA)
FILTERS = ("lastUpdatedAfter=2026-02-28T00%3A00%3A00Z&fulfillmentStatuses=UNSHIPPED,PARTIALLY_SHIPPED"
           f"&marketplaceIds=ATVPDKIKX0DER&maxResultsPerPage=50&includedData={INCLUDED}")


def test_search_orders_request_parameters_and_encoding():
    acct, pipeline = account([{"orders": [order("111-1111111-1111111")], "lastUpdatedBefore": "2026-03-01T11:58:00Z"}])
    pages = pages_of(acct, deadline=123.0)
    request, deadline = pipeline.sent[0]
    assert request.method == "GET" and deadline == 123.0
    assert request.url == f"https://sellingpartnerapi-na.amazon.com/orders/2026-01-01/orders?{FILTERS}"
    assert request.headers["x-amz-access-token"] == ACCESS
    assert [p.next_token for p in pages] == [None]
    assert pages[0].before == datetime(2026, 3, 1, 11, 58, tzinfo=timezone.utc)
    assert pages[0].orders[0]["amazonOrderId"] == "111-1111111-1111111"
    assert pages[0].orders[0]["orderStatus"] == "Unshipped"
    assert set(ORDER_INCLUDED_DATA) >= {"BUYER", "RECIPIENT", "PROCEEDS", "FULFILLMENT"}


def test_an_explicit_upper_bound_is_sent():
    acct, pipeline = account([{"orders": []}])
    pages_of(acct, before=NOW - timedelta(minutes=2), statuses=[], marketplace_ids=["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"])
    assert pipeline.queries() == [f"lastUpdatedAfter=2026-02-28T00%3A00%3A00Z&lastUpdatedBefore=2026-03-01T11%3A58%3A00Z"
                                  f"&marketplaceIds=ATVPDKIKX0DER,A2EUQ1WTGCTBG2&maxResultsPerPage=50&includedData={INCLUDED}"]


def test_the_paginator_repeats_every_filter_with_the_token_encoded_once():
    acct, pipeline = account([
        {"orders": [order("111-1111111-1111111")], "pagination": {"nextToken": "9ZhB+Rm/Vy=="}},
        {"orders": [order("222-2222222-2222222")], "pagination": {"nextToken": "second"}},
        {"orders": [], "lastUpdatedBefore": "2026-03-01T11:58:00Z"},
    ])
    pages = pages_of(acct)
    assert [len(p.orders) for p in pages] == [1, 1, 0]
    assert [p.next_token is not None for p in pages] == [True, True, False]
    assert pipeline.queries() == [FILTERS, f"paginationToken=9ZhB%2BRm%2FVy%3D%3D&{FILTERS}",
                                  f"paginationToken=second&{FILTERS}"]


def test_a_repeated_token_is_refused_rather_than_followed():
    acct, pipeline = account([
        {"orders": [order("111-1111111-1111111")], "pagination": {"nextToken": "same"}},
        {"orders": [order("222-2222222-2222222")], "pagination": {"nextToken": "same"}},
    ])
    seen = []
    with pytest.raises(ResponseError, match="same paginationToken twice"):
        for page in acct.orders_updated(after=AFTER, before=None, statuses=[], marketplace_ids=[], page_size=10):
            seen.append(page)
    assert len(seen) == 1 and len(pipeline.sent) == 2


def test_resuming_repeats_the_window_the_token_was_issued_for():
    acct, _ = account([{"orders": [], "pagination": {"nextToken": "tok+1"}}, {"orders": []}])
    token = pages_of(acct)[0].next_token
    assert token.startswith("sp1.")
    # the caller resumes with the bound the server echoed: the account still repeats what it first sent
    again, pipeline = account([{"orders": []}])
    pages_of(again, after=AFTER + timedelta(hours=1), before=NOW - timedelta(minutes=3), resume=token)
    assert pipeline.queries() == [f"paginationToken=tok%2B1&{FILTERS}"]
    # a bare token (not one of ours) goes with the window the caller gives
    bare, pipeline = account([{"orders": []}])
    pages_of(bare, resume="AmazonToken=", before=NOW - timedelta(minutes=3))
    assert pipeline.queries() == [f"paginationToken=AmazonToken%3D&{FILTERS}".replace(
        "Z&fulfillment", "Z&lastUpdatedBefore=2026-03-01T11%3A57%3A00Z&fulfillment")]
    with pytest.raises(ConfigurationError):
        pages_of(bare, resume="sp1.not-base64-json")


@pytest.mark.parametrize("kwargs, field", [({"statuses": ["InvoiceUnconfirmed"]}, "orderStatus"),
                                           ({"page_size": 0}, "maxResultsPerPage"),
                                           ({"page_size": 101}, "maxResultsPerPage"),
                                           ({"page_size": True}, "maxResultsPerPage")])
def test_bad_filters_are_refused_before_anything_is_sent(kwargs, field):
    acct, pipeline = account([])
    with pytest.raises(ConfigurationError) as caught:
        pages_of(acct, **kwargs)
    assert caught.value.field == field and pipeline.sent == []


def test_too_many_marketplaces_are_refused_before_sending():
    acct, pipeline = account([])
    with pytest.raises(ConfigurationError, match="at most 50"):
        pages_of(acct, marketplace_ids=["ATVPDKIKX0DER"] * 51)
    assert pipeline.sent == []


def test_order_items_come_from_get_order():
    acct, pipeline = account([{"order": order("111-1111111-1111111")}])
    assert acct.order_items("111-1111111-1111111") == [{"asin": "B1", "orderItemId": "1", "quantityOrdered": 1}]
    assert pipeline.sent[0][0].url == ("https://sellingpartnerapi-na.amazon.com/orders/2026-01-01/orders/"
                                       f"111-1111111-1111111?includedData={','.join(ITEM_INCLUDED_DATA)}")


def test_orders_by_id_one_get_order_each_404_is_not_found():
    missing = SpApiError("not found", code="NotFound", status=404)
    acct, pipeline = account([{"order": order("111-1111111-1111111")}, missing])
    found, not_found = acct.orders_by_id(["111-1111111-1111111", "999-9999999-9999999", "111-1111111-1111111"])
    assert [o["amazonOrderId"] for o in found] == ["111-1111111-1111111"] and not_found == ["999-9999999-9999999"]
    assert len(pipeline.sent) == 2
    assert pipeline.sent[0][0].url.endswith(f"/orders/111-1111111-1111111?includedData={INCLUDED}")
    broken, _ = account([SpApiError("boom", code="InternalFailure", status=500)])
    with pytest.raises(SpApiError):
        broken.orders_by_id(["111-1111111-1111111"])


def test_verify_makes_one_cheap_search():
    acct, pipeline = account([{"orders": []}])
    assert acct.verify() is None
    assert pipeline.queries() == ["createdAfter=2026-02-28T12%3A00%3A00Z&marketplaceIds=ATVPDKIKX0DER&maxResultsPerPage=1"]
    throttled, _ = account([SpApiError("You exceeded your quota", code="QuotaExceeded", status=429)])
    assert throttled.verify() is None  # authenticated and counted: verified


def refusal(error, **overrides):
    acct, _ = account([error], **overrides)
    with pytest.raises(CredentialsRefused) as caught:
        acct.verify()
    return caught.value


def test_verify_names_the_part_that_is_wrong():
    denied = SpApiError("Access to requested resource is denied.", code="Unauthorized", status=403)
    assert "has not authorised this app" in str(refusal(denied)) and refusal(denied).field == "refreshToken"
    region = refusal(denied, marketplaceId="A1PA6795UKMFR9", endpoint="https://sellingpartnerapi-na.amazon.com")
    assert "A1PA6795UKMFR9 (EU) is not served by the NA endpoint" in str(region)
    bad_token = SpApiError("Access to requested resource is denied.", code="Unauthorized", status=403,
                           details="The access token you provided is revoked, malformed or invalid.")
    assert "refused the access token" in str(refusal(bad_token))
    invalid = SpApiError("Invalid marketplace", code="InvalidInput", status=400)
    assert "refused the marketplace ATVPDKIKX0DER" in str(refusal(invalid))
    unreachable = refusal(TransportError("cannot connect (connection refused)"))
    assert "is unreachable" in str(unreachable) and unreachable.field == "endpoint"


def test_verify_reports_grant_failures_by_part():
    acct, pipeline = account([])

    def refused():
        raise LwaError("Login with Amazon did not accept the refresh token", code="invalid_grant",
                       part="refresh token", fields=("refreshToken",), status=400)
    acct.authoriser._grant = refused
    with pytest.raises(CredentialsRefused) as caught:
        acct.verify()
    assert str(caught.value).startswith("refresh token: ") and caught.value.field == "refreshToken"
    assert pipeline.sent == []


def test_a_feed_kind_without_an_sp_api_counterpart_is_refused_before_anything_is_sent():
    from types import SimpleNamespace
    from mws_component.errors import InputError
    acct, pipeline = account([])
    with pytest.raises(InputError, match="no SP-API counterpart"):
        acct.submit_feed(SimpleNamespace(kind="overrides", items=(), operation_type=None))
    assert pipeline.sent == []
    assert (acct.api, acct.seller_id, acct.marketplace_id) == ("spapi", "A1EXAMPLE23", "ATVPDKIKX0DER")
    assert acct.server_now() == NOW and acct.knows_server_time
