"""The Feeds, Listings Items and Product Type Definitions rows against Amazon's models (method, path, usage plan,
array limits, enums)."""

import json
import re

import pytest

from mws_component.spapi.operations import OPERATIONS, operation
from tests.conftest import SHARED

ADDED = ("createFeedDocument", "createFeed", "getFeed", "getFeeds", "cancelFeed", "getFeedDocument",
         "putListingsItem", "patchListingsItem", "deleteListingsItem", "getListingsItem",
         "searchDefinitionsProductTypes", "getDefinitionsProductType")
MODELS = ("feeds_2021-06-30", "listingsItems_2021-08-01", "definitionsProductTypes_2020-09-01")


def model_operations():
    found = {}
    for name in MODELS:
        model = json.loads((SHARED / "spapi-models" / "models" / f"{name}.json").read_text())
        for path, methods in model["paths"].items():
            for method, op in methods.items():
                if isinstance(op, dict) and "operationId" in op:
                    found[op["operationId"]] = (name, method.upper(), path, op)
    return found


MODEL = model_operations()


@pytest.mark.parametrize("name", ADDED)
def test_row_matches_the_model(name):
    row = operation(name)
    api, method, path, op = MODEL[name]
    assert (row.api, row.method, row.path) == (api, method, path)
    # the usage plan table of the operation's description: | Rate (requests per second) | Burst |
    rate, burst = re.search(r"\|\s*([\d.]+)\s*\|\s*(\d+)\s*\|", op["description"]).groups()
    assert (row.plan.rate, row.plan.burst) == (float(rate), int(burst))
    assert row.plan.key == name
    for parameter in op.get("parameters", ()):
        if parameter.get("in") == "query" and parameter.get("type") == "array":
            assert row.arrays[parameter["name"]] == parameter.get("maxItems")
            enum = parameter["items"].get("enum")
            if enum:
                assert set(row.enums[parameter["name"]]) == set(enum)
        elif parameter.get("in") == "query" and parameter.get("enum"):
            assert set(row.enums[parameter["name"]]) == set(parameter["enum"])
    success = sorted(int(code) for code in op["responses"] if code.startswith("2"))
    assert list(row.success) == success


def test_only_creating_a_feed_is_not_repeated():
    assert [name for name in ADDED if not OPERATIONS[name].idempotent] == ["createFeed"]


def test_listings_paths_encode_the_sku_as_one_segment():
    url = operation("patchListingsItem").url("https://sellingpartnerapi-na.amazon.com", sellerId="A1", sku="a/b c%")
    assert url == "https://sellingpartnerapi-na.amazon.com/listings/2021-08-01/items/A1/a%2Fb%20c%25"


def test_put_and_delete_take_one_marketplace():
    with pytest.raises(ValueError, match="at most 1"):
        operation("putListingsItem").check_params({"marketplaceIds": ["A", "B"]})
    assert operation("patchListingsItem").check_params({"marketplaceIds": ["A", "B"]}) == {"marketplaceIds": ["A", "B"]}
    with pytest.raises(ValueError, match="DONE_WITH_ERRORS"):
        operation("getFeeds").check_params({"processingStatuses": ["DONE_WITH_ERRORS"]})
