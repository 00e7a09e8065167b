"""The model oracle itself (spapi_model): it must fail on what Amazon's model forbids, or it proves nothing."""

import jsonschema
import pytest

from .conftest import ALL_DATA, EARLY, US
from .spapi_model import RequestInvalid, validate_logged, validate_request, validate_response

SEARCH = "/orders/2026-01-01/orders"


def test_a_good_search_request_passes_and_comes_back_parsed():
    values = validate_request("searchOrders", "GET", SEARCH,
                              f"createdAfter={EARLY}&marketplaceIds={US},A2EUQ1WTGCTBG2&maxResultsPerPage=50"
                              f"&includedData={ALL_DATA}")
    assert values["marketplaceIds"] == [US, "A2EUQ1WTGCTBG2"] and values["maxResultsPerPage"] == "50"
    assert validate_request("getOrder", "GET", SEARCH + "/123-1234567-1234567",
                            {"includedData": "BUYER"}) == {"includedData": ["BUYER"], "orderId": "123-1234567-1234567"}


@pytest.mark.parametrize("method, path, query, problem", [
    ("POST", SEARCH, {"createdAfter": EARLY}, "method POST"),
    ("GET", "/orders/v0/orders", {"createdAfter": EARLY}, "does not match"),
    ("GET", SEARCH, {"CreatedAfter": EARLY}, "CreatedAfter is not a query parameter"),
    ("GET", SEARCH, {"createdAfter": "2024-01-01"}, "createdAfter"),
    ("GET", SEARCH, {"createdAfter": EARLY, "maxResultsPerPage": "many"}, "maxResultsPerPage 'many' is not an integer"),
    ("GET", SEARCH, {"createdAfter": EARLY, "marketplaceIds": [US, US]}, "more than once"),
    ("GET", SEARCH, {"createdAfter": EARLY, "marketplaceIds": ",".join([US] * 51)}, "at most 50"),
    ("GET", SEARCH, {"createdAfter": EARLY, "fulfillmentStatuses": "Shipped"}, "fulfillmentStatuses[0] 'Shipped'"),
    ("GET", SEARCH, {"createdAfter": EARLY, "includedData": "BUYER,"}, "includedData[1] is empty"),
])
def test_bad_requests_are_named(method, path, query, problem):
    with pytest.raises(RequestInvalid) as caught:
        validate_request("searchOrders", method, path, query)
    assert any(problem in p for p in caught.value.problems), caught.value.problems


def test_responses_must_fit_the_model_strictly():
    order = {"orderId": "1", "createdTime": "2024-01-01T00:00:00Z", "lastUpdatedTime": "2024-01-01T00:00:00Z",
             "salesChannel": {"channelName": "AMAZON"}, "orderItems": []}
    validate_response("searchOrders", 200, {"orders": [order]})
    for broken in ({"orders": [order], "payload": {}},  # no payload wrapper in 2026-01-01
                   {"orders": [{**order, "proceeds": {"grandTotal": {"amount": 1.5, "currencyCode": "USD"}}}]},
                   {"orders": [{**order, "fulfillment": {"fulfillmentStatus": "Shipped"}}]},
                   {"orders": [{**order, "createdTime": "yesterday"}]},
                   {"orders": [{**order, "buyer": {"BuyerEmail": "x"}}]}):
        with pytest.raises(jsonschema.ValidationError):
            validate_response("searchOrders", 200, broken)
    validate_response("getOrder", 404, {"errors": [{"code": "NotFound", "message": "m"}]})
    with pytest.raises(jsonschema.ValidationError):
        validate_response("getOrder", 429, {"errors": [{"code": "QuotaExceeded"}]})


def test_every_request_the_tests_sent_fits_the_model_except_the_ones_meant_not_to(spapi, shared_sandbox):
    spapi.search(createdAfter=EARLY, marketplaceIds=US, includedData="BUYER,FULFILLMENT", maxResultsPerPage="3")
    spapi.order("123-1234567-1234567", includedData="TAX")
    spapi.search(createdAfter=EARLY, includedData="ADDRESS")  # refused by the sandbox and by the oracle
    records = [r for r in shared_sandbox.requests.snapshot() if r.action in ("searchOrders", "getOrder")]
    ok = [r for r in records if r.status == 200 or r.error_code == "NotFound"]
    refused = [r for r in records if r.status == 400]
    assert ok and refused
    for record in ok:
        validate_logged(record)
    with pytest.raises(RequestInvalid):
        validate_logged(next(r for r in refused if r.params.get("includedData") == "ADDRESS"))
