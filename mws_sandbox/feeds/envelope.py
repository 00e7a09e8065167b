"""The AmazonEnvelope of an XML feed: a safe streaming parse, the whole-document checks, the messages.

Feeds can be large (Amazon allows up to 2 GiB), so the body is read as a
stream of elements and each Message is dropped once handled; no tree of the
whole document is ever built. Parsing is safe: no entity resolution, no DTD
loading, no network, and a DOCTYPE is refused (Amazon's feeds have none).

`check_envelope` runs first over the whole body, so a document that turns out
broken at its end changes nothing (Amazon rejects such a feed as a whole);
`messages` then walks the same body again for the message handlers.
"""

import re
from dataclasses import dataclass

from lxml import etree

from .results import INVALID_ENVELOPE, NOT_WELL_FORMED, DocumentError
from .feed_types import MESSAGE_TYPES

CHUNK_BYTES = 1 << 20
ENVELOPE = "AmazonEnvelope"
# AmazonEnvelope's children in their schema order; only Message repeats (amzn-envelope.xsd).
ENVELOPE_CHILDREN = ("Header", "MessageType", "MarketplaceName", "PurgeAndReplace", "EffectiveDate", "Message")
REQUIRED_CHILDREN = ("Header", "MessageType", "Message")
OPERATION_TYPES = ("Update", "Delete", "PartialUpdate")
_DOCUMENT_VERSION = re.compile(r"\d{1,2}\.\d{1,2}")
_OVERRIDE_RELEASE = re.compile(r"\d{1,4}\.\d{1,4}")
_ID_NUMBER = re.compile(r"\d{1,20}")
_LIBXML_POSITION = re.compile(r", line \d+, column \d+$")
_ENVELOPE_LEVEL = "The XML you submitted is ill-formed at the Amazon Envelope XML level"


@dataclass(frozen=True)
class Message:
    message_id: int
    operation: str  # OperationType, Update when absent
    payload: object  # the lxml element named like the MessageType


def check_envelope(body, seller_id, message_type):
    """Raise DocumentError (5000/5001) unless `body` is a well-formed envelope of `message_type` messages."""
    state = _EnvelopeState(seller_id, message_type)
    for element in _top_level_elements(body):
        state.check(element)
    state.finish()


def messages(body):
    """The envelope's messages in document order; call only after `check_envelope` passed."""
    for element in _top_level_elements(body):
        if element.tag == "Message":
            message_id, *rest = element  # checked: MessageID, OperationType?, the payload
            operation = rest[0].text.strip() if len(rest) == 2 else "Update"
            yield Message(int(message_id.text.strip()), operation, rest[-1])


# -- the checks -----------------------------------------------------------------------------

class _EnvelopeState:
    def __init__(self, seller_id, message_type):
        self.seller_id = seller_id
        self.message_type = message_type
        self.position = -1  # index in ENVELOPE_CHILDREN of the last child seen
        self.seen = set()
        self.message_ids = set()

    def check(self, element):
        """One top-level element (the parser reports no others; strangers are caught while streaming)."""
        tag = element.tag
        index = ENVELOPE_CHILDREN.index(tag)
        if index < self.position or (index == self.position and tag != "Message"):
            fail(element, f"element {tag} is out of place; {ENVELOPE} children go in the order "
                          f"{', '.join(ENVELOPE_CHILDREN)}")
        for required in REQUIRED_CHILDREN:
            if ENVELOPE_CHILDREN.index(required) < index and required not in self.seen:
                fail(element, f"{required} is missing before {tag}")
        self.position = index
        self.seen.add(tag)
        check = {"Header": self._check_header, "MessageType": self._check_message_type,
                 "PurgeAndReplace": self._check_purge_and_replace, "Message": self._check_message}.get(tag)
        if check:
            check(element)

    def finish(self):
        if "Message" not in self.seen:
            missing = next(name for name in REQUIRED_CHILDREN if name not in self.seen)
            raise DocumentError(INVALID_ENVELOPE, f"{_ENVELOPE_LEVEL}: the element {missing} is missing")

    def _check_header(self, header):
        only_children(header, ("DocumentVersion", "MerchantIdentifier", "OverrideReleaseId"))
        version = (header.findtext("DocumentVersion") or "").strip()
        if not _DOCUMENT_VERSION.fullmatch(version):
            fail(header, f"DocumentVersion [{version}] must look like 1.01")
        merchant = header.findtext("MerchantIdentifier")
        if merchant is None:
            fail(header, "MerchantIdentifier is missing")
        if merchant.strip() != self.seller_id:
            fail(header, f"MerchantIdentifier [{merchant.strip()}] is not the submitting seller's "
                         f"id [{self.seller_id}]")
        release = header.findtext("OverrideReleaseId")
        if release is not None and not _OVERRIDE_RELEASE.fullmatch(release.strip()):
            fail(header, f"OverrideReleaseId [{release}] must look like 1.0")

    def _check_message_type(self, element):
        value = (element.text or "").strip()
        if value not in MESSAGE_TYPES:
            fail(element, f"MessageType [{value}] is not one of {', '.join(MESSAGE_TYPES)}")
        if value != self.message_type:
            fail(element, f"MessageType [{value}] does not match the FeedType, which takes {self.message_type}")

    def _check_purge_and_replace(self, element):
        if (element.text or "").strip() not in ("true", "false", "1", "0"):
            fail(element, f"PurgeAndReplace [{element.text}] must be true or false")

    def _check_message(self, message):
        children = list(message)
        if not children or children[0].tag != "MessageID":
            fail(message, "a Message must start with its MessageID")
        text = (children[0].text or "").strip()
        if not _ID_NUMBER.fullmatch(text) or int(text) == 0:
            fail(children[0], f"MessageID [{text}] must be a positive whole number of at most 20 digits")
        if int(text) in self.message_ids:
            fail(children[0], f"MessageID {int(text)} is used twice; each Message needs its own")
        self.message_ids.add(int(text))
        rest = children[1:]
        if rest and rest[0].tag == "OperationType":
            operation = (rest[0].text or "").strip()
            if operation not in OPERATION_TYPES:
                fail(rest[0], f"OperationType [{operation}] is not one of {', '.join(OPERATION_TYPES)}")
            rest = rest[1:]
        if len(rest) != 1:
            fail(message, f"Message {int(text)} must hold exactly one {self.message_type} element "
                          f"after MessageID and OperationType, found {len(rest)}")
        if rest[0].tag != self.message_type:
            fail(rest[0], f"Message {int(text)} holds {rest[0].tag}, but the MessageType is {self.message_type}")


def fail(element, reason):
    raise DocumentError(INVALID_ENVELOPE, f"{_ENVELOPE_LEVEL} at (or near) line {element.sourceline}: {reason}.")


def only_children(parent, allowed):
    for child in parent:
        if child.tag not in allowed:
            fail(child, f"element {child.tag} is not allowed in {parent.tag}")


# -- the streaming parse --------------------------------------------------------------------

def _top_level_elements(body):
    """Each complete child of the root element, then dropped; raises DocumentError for a bad document.

    Only the envelope's own element names are reported by the parser (the
    filtering happens in libxml2), which keeps a 100,000-message feed quick.
    A document with none of those names anywhere is only judged at its end.
    """
    parser = etree.XMLPullParser(events=("start", "end"), tag=(ENVELOPE, *ENVELOPE_CHILDREN),
                                 resolve_entities=False, no_network=True, load_dtd=False,
                                 remove_comments=True, remove_pis=True, huge_tree=False)
    seen_root = False
    last = None  # the last top-level element handed out: any other sibling before the next is a stranger
    try:
        for offset in range(0, max(len(body), 1), CHUNK_BYTES):  # an empty body is fed too
            parser.feed(body[offset:offset + CHUNK_BYTES])
            for event, element in parser.read_events():
                parent = element.getparent()
                if event == "start":
                    if parent is None:
                        _check_root(element)
                        seen_root = True
                    elif not seen_root:  # an envelope element under some other root
                        _check_root(parent)
                elif parent is None:
                    _check_no_stranger(element[-1] if len(element) else None, last)
                elif parent.getparent() is None:
                    _check_no_stranger(element.getprevious(), last)
                    yield element
                    element.clear()
                    while element.getprevious() is not None:
                        del parent[0]
                    last = element
        root = parser.close()
    except etree.XMLSyntaxError as error:
        raise DocumentError(NOT_WELL_FORMED, _parse_error_text(error, body, seen_root)) from None
    if not seen_root:
        _check_root(root)


def _check_no_stranger(element, last):
    """Elements of other names are not reported by the parser; they show up as unexpected siblings."""
    if element is not None and element is not last:
        fail(element, f"element {element.tag} is not allowed in {ENVELOPE}")


def _check_root(root):
    if root.getroottree().docinfo.doctype:
        raise DocumentError(INVALID_ENVELOPE, f"{_ENVELOPE_LEVEL} at (or near) line 1: a DOCTYPE is not allowed.")
    if root.tag != ENVELOPE:
        fail(root, f"the root element must be {ENVELOPE} (without a namespace), not {root.tag}")


def _parse_error_text(error, body, root_seen_without_doctype):
    line, column = error.position
    message = _LIBXML_POSITION.sub("", error.msg or "").strip()
    if (line, column) == (0, 0) and root_seen_without_doctype:
        # Without entity resolution libxml2 loses the position of an undefined entity; a document
        # without DOCTYPE cannot declare entities, so parsing it again with resolution is safe.
        # The target parser builds no tree, however large the body.
        parser = etree.XMLParser(target=_Discard(), no_network=True, load_dtd=False)
        try:
            parser.feed(body)
            parser.close()
        except etree.XMLSyntaxError as again:
            line, column = again.position
            message = _LIBXML_POSITION.sub("", again.msg or "").strip()
    return f"XML Parsing Error at Line {line}, Column {column}: {message.rstrip('.')}."


class _Discard:
    """A parser target that keeps nothing: only the parse errors matter."""

    def start(self, tag, attrib):
        pass

    def end(self, tag):
        pass

    def data(self, data):
        pass

    def close(self):
        return None
