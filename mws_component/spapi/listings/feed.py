"""The JSON_LISTINGS_FEED writer: ListingsMessage values in, a JSON document on disk out, one message at a time.

The document (JSON Listings Feed schema v2):
    {"header": {"sellerId", "version": "2.0", "issueLocale"?, "report": {"includedData": ["issues"],
                "apiVersion": "2021-08-01"}},
     "messages": [{"messageId": 1, "sku", "operationType", "productType", "requirements"?,
                   "attributes" | "patches"}, ...]}          # 1 to 25,000 messages

The header asks for the issues report, so that the processing report says what happened to each SKU
(a feed DONE without issues, whose listings then fail later, is what SP-API users complain of most).

How it is written: every value, the header and each message, is serialised by json.dumps (the C
encoder: escaping, numbers, NaN refused); this module writes only the structural tokens between those
parts: `{`, `:`, `,`, `[`, `]`, `}` and the two member names, themselves json.dumps'd. That is the
stdlib's own incremental scheme (JSONEncoder.iterencode yields exactly these tokens between encoded
parts) without its cost: iterencode runs in pure Python unless it encodes a whole document at once,
which is what must not be held in memory here. No value is ever formatted by hand, and the tests
parse every document written and validate it against Amazon's listings-feed schema.

build_listings_feed writes into a temporary file and hands it over only when every message passed;
more than 25,000 messages are refused before anything is written when the count is known (a
sequence), and as soon as the 25,001st appears otherwise (the file is then discarded).
"""

import json
from itertools import chain
from typing import IO, NamedTuple

from ...errors import InputError, shown
from ...feeds.writer import SPOOL_IN_MEMORY, spool_feed

FEED_TYPE = "JSON_LISTINGS_FEED"
CONTENT_TYPE = "application/json; charset=UTF-8"   # createFeedDocument's and the upload's, identical
VERSION = "2.0"
LISTINGS_API_VERSION = "2021-08-01"
MAX_MESSAGES = 25_000
_END = object()
_encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode


class ListingsFeedFile(NamedTuple):
    file: IO[bytes]         # positioned at 0; the caller closes it
    size: int
    content_md5: str        # base64 MD5 (the Feeds API asks for none; kept for the FeedRequest's interface)
    message_count: int
    content_type: str = CONTENT_TYPE
    feed_type: str = FEED_TYPE


def feed_header(seller_id, issue_locale=None, included_data=("issues",)):
    if type(seller_id) is not str or not seller_id.strip():
        raise InputError(f"seller id: {shown(seller_id)} is not a Seller ID", field="sellerId")
    header = {"sellerId": seller_id, "version": VERSION}
    if issue_locale:
        header["issueLocale"] = issue_locale
    if included_data:
        header["report"] = {"includedData": list(included_data), "apiVersion": LISTINGS_API_VERSION}
    return header


def _too_many(count):
    return InputError(f"items: a JSON_LISTINGS_FEED takes at most {MAX_MESSAGES:,} messages, got "
                      f"{count if isinstance(count, str) else f'{count:,}'}; split the items over several feeds",
                      field="items")


def write_listings_feed(messages, seller_id, out, *, issue_locale=None, included_data=("issues",)):
    """Write the document for `messages` (ListingsMessage values, or an iterable of them) into the binary
    file-like `out`; messageIds count from 1. Returns the message count. A message that fails raises after
    the ones before it were written: use build_listings_feed when nothing may go out on bad input."""
    if hasattr(messages, "__len__") and len(messages) > MAX_MESSAGES:
        raise _too_many(len(messages))
    header = _encode(feed_header(seller_id, issue_locale, included_data))
    messages = iter(messages)
    first = next(messages, _END)
    if first is _END:
        raise InputError("items: a feed needs at least one item", field="items")
    write = out.write
    write(f"{{{_encode('header')}:{header},{_encode('messages')}:[".encode())
    count = 0
    for count, message in enumerate(chain((first,), messages), 1):
        if count > MAX_MESSAGES:
            raise _too_many(f"more than {MAX_MESSAGES:,}")
        try:
            text = _encode(message.feed_message(count))
        except ValueError as error:        # NaN or infinity: not JSON
            raise InputError(f"items[{message.item}]: {error}", field=f"items[{message.item}]") from None
        write((text if count == 1 else "," + text).encode())
    write(b"]}")
    return count


def build_listings_feed(messages, seller_id, *, issue_locale=None, included_data=("issues",),
                        spool_in_memory=SPOOL_IN_MEMORY):
    """Write the feed into a spooled temporary file, hashing it on the way (the XML writer's spool);
    ListingsFeedFile at position 0. If any message is refused the file is discarded and the InputError
    propagates."""
    return ListingsFeedFile(*spool_feed(lambda sink: write_listings_feed(
        messages, seller_id, sink, issue_locale=issue_locale, included_data=included_data), spool_in_memory))


def build_feed_for_items(kind, items, context, seller_id, *, issue_locale=None, included_data=("issues",),
                         **mapping_options):
    """The JSON_LISTINGS_FEED of a listings action's MWS-shaped items: each item mapped (mapping.map_item;
    a relationship item gives one message per child SKU) and written as it comes. More than 25,000 items
    are refused before anything is mapped or written; a bad item discards the file."""
    from .mapping import map_items

    if hasattr(items, "__len__") and len(items) > MAX_MESSAGES:
        raise _too_many(len(items))
    return build_listings_feed(map_items(kind, items, context, **mapping_options), seller_id,
                               issue_locale=issue_locale, included_data=included_data)


def build_feed_for_request(request, seller_id, context, *, definition=None, issue_locale=None):
    """The JSON_LISTINGS_FEED of a FeedRequest (the value the actions build once at their edge: .kind with
    .key, .operation_type, .category, .items): on SP-API a product feed's category is its product type."""
    kind = getattr(request.kind, "key", request.kind)
    options = {"operation_type": getattr(request, "operation_type", None)}
    if kind == "product":
        options["product_type"] = getattr(request, "category", None)
    if definition is not None:
        options["definition"] = definition
    return build_feed_for_items(kind, request.items, context, seller_id, issue_locale=issue_locale, **options)
