"""Processing one feed: check the envelope, hand each message to its type's handler, write the report.

The rules are the sandbox's own reading of Amazon's formats (values,
listing_messages, order_messages); nothing here comes from the component's
feed writer, so a writer bug shows up as an Error result instead of being
mirrored. The report is kept as bytes with its MD5, ready to be served.
"""

import base64
import hashlib
import logging
from dataclasses import dataclass, field

from . import listing_messages, order_messages
from .envelope import check_envelope, messages
from .results import (FLAT_FILE_NOT_PROCESSED, INTERNAL_ERROR, NOT_APPLIED, DocumentError, FeedWarning,
                           MessageError, Outcome, Subject)
from .feed_types import FLAT_FILE_FEED_TYPES, XML_FEED_TYPES
from .report import flat_file_report, xml_report

log = logging.getLogger(__name__)

FLAT_FILE_CONTENT_TYPE = "text/plain;charset=windows-1252"  # Amazon's flat-file reports were CP1252

HANDLERS = {
    "Product": listing_messages.product,
    "Inventory": listing_messages.inventory,
    "Price": listing_messages.price,
    "ProductImage": listing_messages.product_image,
    "Relationship": listing_messages.relationship,
    "OrderAcknowledgement": order_messages.order_acknowledgement,
    "OrderFulfillment": order_messages.order_fulfillment,
}


@dataclass(frozen=True)
class Report:
    """A processing report as GetFeedSubmissionResult serves it; the digest is taken once, reports can be large."""

    body: bytes
    content_type: str
    content_md5: str

    @classmethod
    def of(cls, body, content_type):
        return cls(body, content_type, base64.b64encode(hashlib.md5(body).digest()).decode("ascii"))


@dataclass
class FeedContext:
    """What message handlers read and change."""

    catalogue: object
    store: object
    now_ms: int
    # (AmazonOrderID, MerchantOrderItemID) -> AmazonOrderItemCode, learnt from acknowledgements.
    merchant_item_ids: dict = field(default_factory=dict)


class FeedProcessor:
    def __init__(self, catalogue, store):
        self.catalogue = catalogue
        self.store = store
        self.merchant_item_ids = {}

    def process(self, submission, now_ms):
        """The Report for a submission whose processing completes at `now_ms`; applies its changes.

        It always returns a report: a sandbox bug must not leave a feed _IN_PROGRESS_ for ever.
        """
        if submission.feed_type in FLAT_FILE_FEED_TYPES:
            return Report.of(flat_file_report(FLAT_FILE_NOT_PROCESSED, submission.feed_type),
                             FLAT_FILE_CONTENT_TYPE)
        try:
            return self._xml_report(submission, self.apply(submission, now_ms))
        except Exception:  # reported as Amazon reported its own failures
            log.exception("processing feed %s failed", submission.submission_id)
            return self._xml_report(submission, Outcome.whole_document(
                INTERNAL_ERROR, "We are sorry, but we were unable to process this feed because of an internal "
                                "error. Please resubmit it."))

    @staticmethod
    def _xml_report(submission, outcome):
        return Report.of(xml_report(submission.seller_id, submission.submission_id, outcome), "text/xml")

    def apply(self, submission, now_ms):
        message_type = XML_FEED_TYPES[submission.feed_type]
        try:
            check_envelope(submission.content, submission.seller_id, message_type)
        except DocumentError as error:
            return Outcome.whole_document(error.code, error.description)
        handler = HANDLERS.get(message_type, accepted_without_rules)
        context = FeedContext(self.catalogue, self.store, now_ms, self.merchant_item_ids)
        outcome = Outcome()
        for message in messages(submission.content):
            subject = subject_of(message.payload)
            try:
                warnings = handler(message, context)
            except MessageError as error:
                outcome.failed(message.message_id, error, Subject(**{**subject, **error.overrides}))
            else:
                outcome.succeeded(message.message_id, warnings, Subject(**subject))
        return outcome


def subject_of(payload):
    """What a Result's AdditionalInfo names by default: the message's SKU (or ParentSKU) and order id."""
    found = {child.tag: child.text for child in payload.iterchildren("SKU", "ParentSKU", "AmazonOrderID")}
    return {"sku": found.get("SKU", found.get("ParentSKU")), "order_id": found.get("AmazonOrderID")}


def accepted_without_rules(message, context):
    return [FeedWarning(NOT_APPLIED, f"The sandbox accepts {message.payload.tag} messages without checking or "
                                     "applying them.")]
