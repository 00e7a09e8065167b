"""Issue codes of the Listings Items API and the JSON_LISTINGS_FEED report, and issues from schema errors.

Amazon publishes no complete list of issue codes. Codes whose text Amazon's own examples show:
- 90220 "'<attribute>' is required but not supplied." (Listings Items API model, Issue example; the
  listings-feed processing report example)
- 99022 "The field '...' for the attribute '<attribute>' does not have enough values. The required minimum
  is 'N' value(s)." (processing report example, on purchasable_offer.our_price)
- 4000001 a value that breaks its attribute's schema (type, enumeration, pattern, range, length in bytes):
  a code SP-API users quote for invalid values; no Amazon model or schema shows it.
The others are the sandbox's own, chosen in a block Amazon's examples do not use:
- 99023 too many values (maxItems, maxUniqueItems per selector combination)
- 99300 a patch whose path is not /attributes/<name>, or whose op lacks its value
- 99301 PATCH, PARTIAL_UPDATE or DELETE of a SKU that has no listing
- 99302 a product type the Product Type Definitions API does not know
- 99303 a JSON_LISTINGS_FEED message that breaks the listings-feed message schema
- 99304 (XML report) a legacy listings feed type, no longer processed since 2025-07-31
- 99305 a JSON_LISTINGS_FEED document that is not a listings feed (not JSON, or its header or messages
  array break the listings-feed schema): the feed ends FATAL
- 99306 a JSON_LISTINGS_FEED whose header.sellerId is not the seller's: the feed ends FATAL
"""

REQUIRED = "90220"
TOO_FEW = "99022"
INVALID_VALUE = "4000001"
TOO_MANY = "99023"
BAD_PATCH = "99300"
NO_LISTING = "99301"
UNKNOWN_PRODUCT_TYPE = "99302"
BAD_MESSAGE = "99303"
LEGACY_FEED = 99304
BAD_FEED = "99305"
WRONG_SELLER = "99306"

ERROR, WARNING = "ERROR", "WARNING"
PRICE_ATTRIBUTES = ("purchasable_offer", "list_price")


def issue(code, message, severity=ERROR, attribute=None, categories=None):
    """A Listings Items API Issue."""
    out = {"code": code, "message": message, "severity": severity,
           "attributeNames": [attribute] if attribute else []}
    out["categories"] = categories if categories is not None else [_category(code, attribute)]
    return out


def _category(code, attribute):
    missing = code in (REQUIRED, TOO_FEW)
    if attribute and attribute.endswith("image_locator") or (attribute or "").startswith("other_product_image"):
        return "MISSING_IMAGE" if missing else "INVALID_IMAGE"
    if attribute in PRICE_ATTRIBUTES:
        return "MISSING_PRICE" if missing else "INVALID_PRICE"
    return "MISSING_ATTRIBUTE" if missing else "INVALID_ATTRIBUTE"


def _field(path, extra=None):
    parts = [str(p) for p in path if not isinstance(p, int)]
    if extra:
        parts.append(extra)
    return ".".join(parts)


def issues_from_errors(errors, attributes):
    """Issues for jsonschema errors of attribute values against a product type schema, in a stable order."""
    out, seen = [], set()
    for error in sorted(errors, key=lambda e: (list(map(str, e.absolute_path)), e.validator, e.message)):
        path = list(error.absolute_path)
        attribute = str(path[0]) if path else None
        kind = error.validator
        if kind == "required":
            missing = [name for name in error.validator_value
                       if isinstance(error.instance, dict) and name not in error.instance]
            for name in missing:
                key = (tuple(map(str, path)), name)
                if key in seen:
                    continue
                seen.add(key)
                if path:
                    out.append(issue(REQUIRED, f"'{_field(path, name)}' is required but not supplied.",
                                     attribute=attribute))
                else:
                    out.append(issue(REQUIRED, f"'{name}' is required but not supplied.", attribute=name))
            continue
        field = _field(path) or "attributes"
        if kind in ("minItems", "minUniqueItems"):
            out.append(issue(TOO_FEW, f"The field '{field}' for the attribute '{attribute}' does not have enough "
                                      f"values. The required minimum is '{error.validator_value}' value(s).",
                             attribute=attribute))
        elif kind in ("maxItems", "maxUniqueItems"):
            out.append(issue(TOO_MANY, f"The field '{field}' for the attribute '{attribute}' has too many values. "
                                       f"The allowed maximum is '{error.validator_value}' value(s): "
                                       f"{error.message}.", attribute=attribute))
        else:
            reason = error.message if len(error.message) <= 200 else error.message[:197] + "..."
            out.append(issue(INVALID_VALUE, f"The value of '{field}' is invalid ({kind}): {reason}",
                             attribute=attribute))
    return out


def feed_issue(message_id, sku, listing_issue):
    """A listings-feed processing report issue: attributeName (singular) where the Listings API has a list."""
    out = {"messageId": message_id, "sku": sku, "code": listing_issue["code"],
           "severity": listing_issue["severity"], "message": listing_issue["message"]}
    if listing_issue.get("attributeNames"):
        out["attributeName"] = listing_issue["attributeNames"][0]
    return {k: v for k, v in out.items() if v is not None}
