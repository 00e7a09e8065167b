"""JSON names for XML element names, shared by the response mapper and the feed writer."""

import re
from functools import lru_cache

_LEADING_CAPITALS = re.compile(r"^[A-Z]+")


@lru_cache(maxsize=4096)
def json_name(element_name):
    """Lower the leading capitals: AmazonOrderId→amazonOrderId, ASIN→asin, SKU→sku,
    SellerSKU→sellerSKU, FulfillmentCenterID→fulfillmentCenterID, CODFee→codFee.

    In a run of capitals followed by a lower-case letter, the last capital
    starts the next word (CODFee), so it stays upper-case.
    """
    match = _LEADING_CAPITALS.match(element_name)
    if not match:
        return element_name
    run = match.group()
    rest = element_name[len(run):]
    if len(run) > 1 and rest[:1].islower():
        return run[:-1].lower() + run[-1] + rest
    return run.lower() + rest
