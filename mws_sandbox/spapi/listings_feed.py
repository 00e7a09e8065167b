"""JSON_LISTINGS_FEED: the document's rules, each message as a listings submission, the processing report.

The rules are the sandbox's own copy of Amazon's "Selling Partner Listings Feed (v2)" JSON Schema
(listings-feed-schema-v2.json, draft-07): the header and the messages array are the feed's (breaking them
ends the feed FATAL with one feed-level issue, no messageId); each message's are the message's (breaking
them makes that message invalid, the others go on). The tests check the same documents against Amazon's
own files.

The report follows "Selling Partner JSON Listings Feed Processing Report (v2)": header {sellerId,
version, feedId, report?}, issues (those that kept a message from being accepted, always; attributeName
singular), summary {errors, warnings, messagesProcessed, messagesAccepted, messagesInvalid,
itemSummary?}, and, only when the feed's header.report asks for it, items: the listings items of the
accepted messages as getListingsItem shows them with the included data (their issues only when
includedData names issues: what an accepted message's listing lacks shows nowhere else).
"""

import json

from jsonschema import Draft7Validator

from . import issues as codes
from .issues import ERROR, WARNING, feed_issue, issue

INCLUDED_DATA = ("summaries", "attributes", "issues", "offers", "fulfillmentAvailability", "procurement",
                 "relationships", "productTypes")
MAX_MESSAGES = 25_000
MAX_MESSAGE_ID = 2_147_483_647

HEADER_RULES = {
    "type": "object", "required": ["sellerId", "version"],
    "properties": {
        "sellerId": {"type": "string"},
        "version": {"type": "string", "const": "2.0"},
        "issueLocale": {"type": "string"},
        "report": {"type": "object", "required": ["includedData", "apiVersion"], "properties": {
            "includedData": {"type": "array", "minItems": 1, "items": {"type": "string", "enum": list(INCLUDED_DATA)}},
            "apiVersion": {"type": "string", "enum": ["2021-08-01"]}}},
    },
}
FEED_RULES = {
    "type": "object", "required": ["header", "messages"],
    "properties": {"header": HEADER_RULES,
                   "messages": {"type": "array", "minItems": 1, "maxItems": MAX_MESSAGES,
                                "items": {"type": "object"}}},
}
_PATCH = {"type": "object", "required": ["op", "path"], "properties": {
    "op": {"type": "string", "enum": ["add", "replace", "merge", "delete"]},
    "path": {"type": "string"},
    "value": {"type": "array", "items": {"type": "object"}}}}


def _operation(name, required=(), forbidden=()):
    rule = {"properties": {"operationType": {"type": "string", "const": name},
                           **{field: False for field in forbidden}}}
    if required:
        rule["required"] = list(required)
    return rule


MESSAGE_RULES = {
    "type": "object", "required": ["messageId", "sku", "operationType"],
    "properties": {
        "messageId": {"type": "integer", "minimum": 1, "maximum": MAX_MESSAGE_ID},
        "sku": {"type": "string", "minLength": 1},
        "operationType": {"type": "string", "enum": ["UPDATE", "PARTIAL_UPDATE", "PATCH", "DELETE"]},
        "productType": {"type": "string", "minLength": 1},
        "requirements": {"type": "string", "enum": ["LISTING", "LISTING_PRODUCT_ONLY", "LISTING_OFFER_ONLY"]},
        "attributes": {"type": "object", "minProperties": 1},
        "patches": {"type": "array", "minItems": 1, "items": _PATCH},
    },
    "oneOf": [
        _operation("UPDATE", ("productType", "attributes"), ("patches",)),
        _operation("DELETE", (), ("requirements", "attributes", "productType", "patches")),
        _operation("PARTIAL_UPDATE", ("productType", "attributes"), ("requirements", "patches")),
        _operation("PATCH", ("productType", "patches"), ("requirements", "attributes")),
    ],
}
_FEED = Draft7Validator(FEED_RULES)
_MESSAGE = Draft7Validator(MESSAGE_RULES)


def _where(error):
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    return path.lstrip(".") or "the document"


def _rule_problem(error):
    """What a rule error says; a oneOf names what the message's operationType needs."""
    if error.validator == "oneOf":
        return ("the fields do not fit its operationType: UPDATE needs productType and attributes (no patches), "
                "PARTIAL_UPDATE productType and attributes (no requirements, no patches), PATCH productType and "
                "patches (no requirements, no attributes), DELETE none of productType, requirements, attributes "
                "and patches")
    return error.message


def fatal_report(seller_id, feed_id, message, code=codes.BAD_FEED):
    return {"header": {"sellerId": seller_id, "version": "2.0", "feedId": feed_id},
            "issues": [{"code": code, "severity": ERROR, "message": message}],
            "summary": {"errors": 1, "warnings": 0, "messagesProcessed": 0, "messagesAccepted": 0,
                        "messagesInvalid": 0}}


def process(content, *, seller_id, feed_id, listings, marketplace_id):
    """(report, fatal): the processing report of a JSON_LISTINGS_FEED document, its messages applied."""
    try:
        document = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        return fatal_report(seller_id, feed_id, f"The feed document is not UTF-8 JSON: {error}"), True
    problem = next(iter(sorted(_FEED.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))), None)
    if problem is not None:
        return fatal_report(seller_id, feed_id, f"The feed document is not a listings feed (v2): "
                                                f"{_where(problem)}: {problem.message}"), True
    header = document["header"]
    if header["sellerId"] != seller_id:
        return fatal_report(seller_id, feed_id, f"header.sellerId '{header['sellerId'][:40]}' is not the seller "
                                                "that submitted the feed", codes.WRONG_SELLER), True
    report_header = {"sellerId": seller_id, "version": "2.0", "feedId": feed_id}
    included = None
    if "report" in header:
        report_header["report"] = header["report"]
        included = set(header["report"]["includedData"])
    found, items = [], []
    accepted = invalid = 0
    seen_ids = set()
    for index, message in enumerate(document["messages"]):
        message_id = message.get("messageId") if isinstance(message.get("messageId"), int) else None
        sku = message.get("sku") if isinstance(message.get("sku"), str) and message.get("sku") else None
        errors = sorted(_MESSAGE.iter_errors(message), key=lambda e: (list(map(str, e.absolute_path)), e.message))
        problems = [issue(codes.BAD_MESSAGE, f"messages[{index}].{_where(e)}: {_rule_problem(e)}",
                          attribute=_attribute_of(e)) for e in errors[:5]]
        if not problems and message_id in seen_ids:
            problems = [issue(codes.BAD_MESSAGE, f"messages[{index}].messageId {message_id} is not unique in the "
                                                 "feed")]
        if message_id is not None:
            seen_ids.add(message_id)
        outcome = None
        if not problems:
            outcome = listings.submit(
                sku, message["operationType"], marketplace_id=marketplace_id,
                product_type=message.get("productType"), attributes=message.get("attributes"),
                patches=message.get("patches"), requirements=message.get("requirements", "LISTING"))
            problems = outcome.issues
        blocked = outcome is None or outcome.status == "INVALID"
        invalid += blocked
        accepted += not blocked
        found += [feed_issue(message_id if message_id and message_id >= 1 else None, sku, i) for i in problems]
        if included is not None and not blocked and message["operationType"] != "DELETE":
            item = listings.item(sku, marketplace_id, included)
            if item is not None:
                items.append(item)
    summary = {"errors": sum(i["severity"] == ERROR for i in found),
               "warnings": sum(i["severity"] == WARNING for i in found),
               "messagesProcessed": accepted + invalid, "messagesAccepted": accepted, "messagesInvalid": invalid}
    report = {"header": report_header, "issues": found, "summary": summary}
    if included is not None:
        item_issues = [i for item in items for i in item.get("issues", [])]
        summary["itemSummary"] = {"items": len(items), "errors": sum(i["severity"] == ERROR for i in item_issues),
                                  "warnings": sum(i["severity"] == WARNING for i in item_issues)}
        report["items"] = items
    return report, False


def _attribute_of(error):
    path = list(error.absolute_path)
    if len(path) >= 2 and path[0] == "attributes":
        return str(path[1])
    return None
