"""XML feeds: declarative descriptions -> checked items -> AmazonEnvelope bytes.

    from mws_component.feeds import FEED_TYPES, describe, build_feed_file
    feed = build_feed_file("inventory", items, seller_id)   # FeedFile(file, size, content_md5, message_count)

Module map: catalog (feed kinds, categories), descriptions (reading the generated
description files), types (simple types -> value checkers), model (descriptions
compiled to check/emit nodes), validate (item rules), writer (envelope, spooling,
MD5), request (FeedRequest: a feed checked once at the action's edge), schema (JSON
in-schemas). Enumerations and keys are matched exactly, case included; a near miss is
refused naming the nearest known value (see mws_component/inputs.py). The description files and the JSON shape
conventions are described in schemas/feeds/README.md.
"""

from .catalog import CATEGORIES, FEED_TYPES, Category, FeedKind, describe, resolve_category
from .schema import in_schema, item_schema
from .request import FeedRequest, feed_request
from .validate import OPERATION_KEY, validate_feed, validate_item
from .writer import FeedFile, build_feed_file, write_feed

__all__ = [
    "CATEGORIES", "FEED_TYPES", "Category", "FeedKind", "describe", "resolve_category",
    "in_schema", "item_schema", "OPERATION_KEY", "validate_feed", "validate_item",
    "FeedFile", "build_feed_file", "write_feed", "FeedRequest", "feed_request",
]
