"""The AmazonEnvelope writer: items in, XML bytes out, one message at a time.

Uses lxml's incremental writer (etree.xmlfile), which escapes every value, so
memory stays flat however many items there are. An item is checked before its
message is written; build_feed_file writes into a spooled temporary file and
hands it over only when every item has passed, so nothing is sent on bad input.
"""

import base64
import hashlib
import tempfile
from itertools import chain
from typing import IO, NamedTuple

from lxml import etree

from ..errors import InputError
from .catalog import describe
from .model import default_model
from .types import ValueProblem, compile_checker
from .validate import message_checker

DOCUMENT_VERSION = "1.01"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SPOOL_IN_MEMORY = 8 * 1024 * 1024       # larger feeds go to a temporary file on disk

# Header/MerchantIdentifier is amzn-base String: normalizedString of at most 50 characters.
_check_merchant = compile_checker({"base": "normalizedString", "minLength": 1, "maxLength": 50})
_END = object()


class FeedFile(NamedTuple):
    file: IO[bytes]         # positioned at 0; the caller closes it
    size: int
    content_md5: str        # base64 of the MD5 digest: SubmitFeed's ContentMD5Value
    message_count: int


def write_feed(kind, items, seller_id, out, operation_type=None, *, category=None, model=None):
    """Write the envelope for `items` into the binary file-like `out`; returns the message count.

    `operation_type` is the default OperationType (the kind's first one if None); an
    item may carry its own as "operationType". `category` (label or element name)
    restricts a product feed to one category. A bad item raises InputError after the
    messages before it were written: use build_feed_file (or validate_feed first)
    when nothing may go out on bad input.
    """
    feed = describe(kind)
    check = message_checker(feed, operation_type, category=category, model=model)
    payload = (model or default_model()).element(feed.element)
    emit_payload, payload_name = payload.type.emit, payload.name
    merchant = _merchant_identifier(seller_id)

    items = iter(items)
    first = next(items, _END)
    if first is _END:
        raise InputError("items: a feed needs at least one item", field="items")
    checked = check(first, "items[0]")     # the header waits until the first item is known to be good
    messages = chain((checked,), (check(item, f"items[{number}]") for number, item in enumerate(items, 1)))
    return _write_messages(feed, messages, merchant, out, emit_payload, payload_name)


def write_checked(kind, messages, seller_id, out, *, model=None):
    """Write already checked messages, (OperationType or None, normalized payload) pairs as
    validate.message_checker returns them, without checking them again; returns the count."""
    feed = describe(kind)
    payload = (model or default_model()).element(feed.element)
    return _write_messages(feed, iter(messages), _merchant_identifier(seller_id), out,
                           payload.type.emit, payload.name)


def _write_messages(feed, messages, merchant, out, emit_payload, payload_name):
    count = 0
    with etree.xmlfile(out, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element("AmazonEnvelope", {f"{{{XSI}}}noNamespaceSchemaLocation": "amzn-envelope.xsd"},
                        nsmap={"xsi": XSI}):
            with xf.element("Header"):
                _text_element(xf, "DocumentVersion", DOCUMENT_VERSION)
                _text_element(xf, "MerchantIdentifier", merchant)
            _text_element(xf, "MessageType", feed.message_type)
            _text_element(xf, "PurgeAndReplace", "false")
            for count, (operation_type, body) in enumerate(messages, 1):
                with xf.element("Message"):
                    with xf.element("MessageID"):
                        xf.write(str(count))
                    if operation_type is not None:
                        with xf.element("OperationType"):
                            xf.write(operation_type)
                    emit_payload(xf, payload_name, body)
    return count


def build_feed_file(kind, items, seller_id, operation_type=None, *, category=None,
                    spool_in_memory=SPOOL_IN_MEMORY, model=None):
    """Write the feed into a spooled temporary file, computing its MD5 on the way.

    Returns FeedFile(file at position 0, size, base64 MD5, message_count). If any
    item is refused, the file is discarded and the InputError propagates.
    """
    return spool_feed(lambda sink: write_feed(kind, items, seller_id, sink, operation_type, category=category,
                                              model=model), spool_in_memory)


def spool_feed(write, spool_in_memory=SPOOL_IN_MEMORY):
    """FeedFile of what `write(sink)` writes (it returns the message count); discarded on error."""
    spool = tempfile.SpooledTemporaryFile(max_size=spool_in_memory)
    sink = _DigestingSink(spool)
    try:
        count = write(sink)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return FeedFile(spool, sink.size, base64.b64encode(sink.md5.digest()).decode("ascii"), count)


class _DigestingSink:
    """A write-only file that hashes and counts what passes through it."""

    def __init__(self, target):
        self.target, self.md5, self.size = target, hashlib.md5(), 0

    def write(self, data):
        self.md5.update(data)
        self.size += len(data)
        return self.target.write(data)


def _text_element(xf, name, text):
    with xf.element(name):
        xf.write(text)


def _merchant_identifier(seller_id):
    try:
        return _check_merchant(seller_id)
    except ValueProblem as problem:
        raise InputError(f"sellerId: {problem}", field="sellerId") from None
