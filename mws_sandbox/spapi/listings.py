"""The Listings Items API 2021-08-01: put, patch, delete and get a listings item, over the catalogue.

Rules (Listings Items API 2021-08-01 model): paths /listings/2021-08-01/items/{sellerId}/{sku} with the
SKU percent-encoded; marketplaceIds required (one on put and delete); includedData identifiers/issues
(default issues) on writes, summaries/attributes/issues/offers/fulfillmentAvailability/procurement/
relationships/productTypes (default summaries) on get; mode=VALIDATION_PREVIEW validates without
writing (status VALID or INVALID). Bodies: ListingsItemPutRequest {productType, requirements?,
attributes}, ListingsItemPatchRequest {productType, patches[1..]}; a body that breaks them is a 400
naming the field. The sellerId must be the caller's own (403 otherwise, as for a seller that has not
authorised the application). Issues come at once in the answer (see listing_submissions).
"""

import json
from urllib.parse import unquote

from .errors import SpApiError, invalid_input, not_found, unauthorized
from .listing_submissions import PATCH_OPS
from .request_values import enum_value, enum_list, marketplaces

WRITE_DATA = ("identifiers", "issues")
READ_DATA = ("summaries", "attributes", "issues", "offers", "fulfillmentAvailability", "procurement",
             "relationships", "productTypes")
REQUIREMENTS = ("LISTING", "LISTING_PRODUCT_ONLY", "LISTING_OFFER_ONLY")
MODES = ("VALIDATION_PREVIEW",)


def _target(call):
    seller_id = unquote(call.path_params["sellerId"])
    sku = unquote(call.path_params["sku"])
    if seller_id != call.face.seller_id:
        raise unauthorized("")
    if not sku:
        raise invalid_input("sku must not be empty")
    return sku


def read_json_body(call):
    media_type = (call.http.content_type or "").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise SpApiError(415, "UnsupportedMediaType", "The request body must be application/json",
                         f"Content-Type '{(call.http.content_type or '')[:60]}'")
    try:
        body = json.loads(call.http.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise invalid_input(f"The request body is not JSON: {error}") from None
    if not isinstance(body, dict):
        raise invalid_input("The request body must be a JSON object")
    return body


def _string(body, name):
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise invalid_input(f"{name} is required and must be a non-empty string")
    return value


def _answer(outcome, included, marketplace_id):
    out = {"sku": outcome.sku, "status": outcome.status, "submissionId": outcome.submission_id}
    if "issues" in included:
        out["issues"] = [{**i, "marketplaceIds": [marketplace_id]} for i in outcome.issues]
    if "identifiers" in included:
        out["identifiers"] = [{"marketplaceId": marketplace_id, **({"asin": outcome.asin} if outcome.asin else {})}]
    return out


def _write_options(call, max_marketplaces):
    query = call.query
    [marketplace_id] = marketplaces(query, call.region, required=True, max_items=max_marketplaces)[:1]
    included = set(enum_list(query, "includedData", WRITE_DATA) or ["issues"])
    preview = enum_value(query, "mode", MODES) == "VALIDATION_PREVIEW"
    return marketplace_id, included, preview


def put_listings_item(call):
    sku = _target(call)
    marketplace_id, included, preview = _write_options(call, 1)
    body = read_json_body(call)
    product_type = _string(body, "productType")
    requirements = body.get("requirements", "LISTING")
    if requirements not in REQUIREMENTS:
        raise invalid_input(f"requirements '{str(requirements)[:40]}' is not one of: {', '.join(REQUIREMENTS)}")
    attributes = body.get("attributes")
    if not isinstance(attributes, dict):
        raise invalid_input("attributes is required and must be an object")
    outcome = call.face.listings.submit(sku, "UPDATE", marketplace_id=marketplace_id, product_type=product_type,
                                        attributes=attributes, requirements=requirements, preview=preview)
    return _answer(outcome, included, marketplace_id)


def patch_listings_item(call):
    sku = _target(call)
    marketplace_id, included, preview = _write_options(call, None)
    body = read_json_body(call)
    product_type = _string(body, "productType")
    patches = body.get("patches")
    if not isinstance(patches, list) or not patches:
        raise invalid_input("patches is required: an array of at least one patch operation")
    for index, patch in enumerate(patches):
        if not isinstance(patch, dict):
            raise invalid_input(f"patches[{index}] must be an object")
        if patch.get("op") not in PATCH_OPS:
            raise invalid_input(f"patches[{index}].op '{str(patch.get('op'))[:20]}' is not one of: "
                                f"{', '.join(PATCH_OPS)}")
        if not isinstance(patch.get("path"), str):
            raise invalid_input(f"patches[{index}].path is required and must be a string")
        value = patch.get("value")
        if value is not None and (not isinstance(value, list) or not all(isinstance(v, dict) for v in value)):
            raise invalid_input(f"patches[{index}].value must be an array of objects")
    outcome = call.face.listings.submit(sku, "PATCH", marketplace_id=marketplace_id, product_type=product_type,
                                        patches=patches, preview=preview)
    return _answer(outcome, included, marketplace_id)


def delete_listings_item(call):
    sku = _target(call)
    [marketplace_id] = marketplaces(call.query, call.region, required=True, max_items=1)
    outcome = call.face.listings.submit(sku, "DELETE", marketplace_id=marketplace_id)
    return _answer(outcome, {"issues"}, marketplace_id)


def get_listings_item(call):
    sku = _target(call)
    markets = marketplaces(call.query, call.region, required=True)
    included = set(enum_list(call.query, "includedData", READ_DATA) or ["summaries"])
    item = call.face.listings.item(sku, markets[0], included)
    if item is None:
        raise not_found(f"SKU '{sku[:60]}' not found in marketplace {markets[0]}", f"sku {sku[:60]}")
    return item
