"""What a processing report says about a feed: result codes, one Result per problem, and the summary.

ResultMessageCode values. Amazon never published a complete list; the
whole-document codes and 8007, 8560, 13013 are the ones real reports used
for these cases, the others are the sandbox's own, chosen to look alike.
Errors for one message carry its MessageID; MessageID 0 is the whole feed.

- 5000 Error, 0: the body is not well-formed XML ("XML Parsing Error at Line L, Column C: ...").
- 5001 Error, 0: not a valid AmazonEnvelope for this feed (root, DOCTYPE, Header, MerchantIdentifier,
  MessageType, MessageIDs, payload elements).
- 5002 Error, 0: the sandbox failed while processing (a sandbox bug; resubmit).
- 99001 Error: a required value is missing (an empty SKU counts as missing).
- 99010 Error: a value breaks its XSD type: length, pattern, enumeration, number, date, currency, decimals.
- 8560 Error: Product Update without DescriptionData/Title; the product cannot be created or replaced.
- 13013 Error: the SKU is not in the catalogue (Inventory, Price, ProductImage, a Relation's SKU, Product
  PartialUpdate or Delete).
- 8007 Error: a Relationship's ParentSKU is not in the catalogue.
- 18021 Error: the order (AmazonOrderID or MerchantOrderID) is not one of the seller's.
- 18022 Error: the item (AmazonOrderItemCode or MerchantOrderItemID) is not in the order.
- 18023 Error: the order's state forbids it: shipping a Pending, Canceled or Shipped order, more units
  than are unshipped, cancelling what has shipped.
- 10001 Warning: a PartialUpdate or Price message that changes nothing.
- 10002 Warning: a message type the sandbox accepts without applying (Override, OrderAdjustment).
- 10003 Error, 0: flat-file feeds are accepted but not processed (in the tab-separated text report).

Counting: MessagesProcessed = MessagesSuccessful + MessagesWithError; a
message with a warning is also successful. A whole-document error processes
nothing: 0 processed, 0 successful, 1 with error.
"""

from dataclasses import dataclass, field
from typing import NamedTuple

NOT_WELL_FORMED = 5000
INVALID_ENVELOPE = 5001
INTERNAL_ERROR = 5002
MISSING_VALUE = 99001
INVALID_VALUE = 99010
MISSING_ATTRIBUTES = 8560
UNKNOWN_SKU = 13013
UNKNOWN_PARENT_SKU = 8007
UNKNOWN_ORDER = 18021
UNKNOWN_ORDER_ITEM = 18022
ORDER_STATE_CONFLICT = 18023
NOTHING_TO_UPDATE = 10001
NOT_APPLIED = 10002
FLAT_FILE_NOT_PROCESSED = 10003

ERROR = "Error"
WARNING = "Warning"


# Named tuples rather than dataclasses: a report may hold 100,000 results, and these are quicker to make.
class Subject(NamedTuple):
    """What a Result's AdditionalInfo names; the report writer leaves out values their XSD type refuses."""

    sku: str | None = None
    order_id: str | None = None
    item_code: str | None = None


class Result(NamedTuple):
    message_id: int
    kind: str  # ERROR or WARNING
    code: int
    description: str
    subject: Subject = Subject()


class MessageError(Exception):
    """One message fails; `subject` overrides what the message itself names (e.g. the unknown child SKU)."""

    def __init__(self, code, description, *, sku=None, order_id=None, item_code=None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.overrides = {k: v for k, v in (("sku", sku), ("order_id", order_id), ("item_code", item_code))
                          if v is not None}


class DocumentError(Exception):
    """The whole document fails: one Result at MessageID 0, nothing applied."""

    def __init__(self, code, description):
        super().__init__(description)
        self.code = code
        self.description = description


@dataclass(frozen=True)
class FeedWarning:
    """A warning a message handler returns; the message still counts as successful."""

    code: int
    description: str


@dataclass
class Outcome:
    """The results of one feed and its ProcessingSummary counts."""

    processed: int = 0
    successful: int = 0
    with_error: int = 0
    with_warning: int = 0
    results: list = field(default_factory=list)

    @classmethod
    def whole_document(cls, code, description):
        return cls(with_error=1, results=[Result(0, ERROR, code, description)])

    def failed(self, message_id, error, subject):
        self.processed += 1
        self.with_error += 1
        self.results.append(Result(message_id, ERROR, error.code, error.description, subject))

    def succeeded(self, message_id, warnings, subject):
        self.processed += 1
        self.successful += 1
        if warnings:
            self.with_warning += 1
        for warning in warnings:
            self.results.append(Result(message_id, WARNING, warning.code, warning.description, subject))
