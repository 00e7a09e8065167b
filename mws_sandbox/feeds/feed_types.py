"""Feed types, the message type each XML one carries, and submission statuses (Feeds_FeedType,
Feeds_FeedProcessingStatus, amzn-envelope.xsd)."""

# XML feed types and the MessageType (= payload element) their envelope must carry.
XML_FEED_TYPES = {
    "_POST_PRODUCT_DATA_": "Product",
    "_POST_INVENTORY_AVAILABILITY_DATA_": "Inventory",
    "_POST_PRODUCT_PRICING_DATA_": "Price",
    "_POST_PRODUCT_IMAGE_DATA_": "ProductImage",
    "_POST_PRODUCT_RELATIONSHIP_DATA_": "Relationship",
    "_POST_PRODUCT_OVERRIDES_DATA_": "Override",
    "_POST_ORDER_ACKNOWLEDGEMENT_DATA_": "OrderAcknowledgement",
    "_POST_ORDER_FULFILLMENT_DATA_": "OrderFulfillment",
    "_POST_PAYMENT_ADJUSTMENT_DATA_": "OrderAdjustment",
}

# Tab-separated flat files: accepted, but the sandbox does not process them (see processing).
FLAT_FILE_FEED_TYPES = frozenset({
    "_POST_FLAT_FILE_LISTINGS_DATA_",
    "_POST_FLAT_FILE_INVLOADER_DATA_",
    "_POST_FLAT_FILE_PRICEANDQUANTITYONLY_UPDATE_DATA_",
    "_POST_FLAT_FILE_BOOKLOADER_DATA_",
    "_POST_FLAT_FILE_CONVERGENCE_LISTINGS_DATA_",
    "_POST_UIEE_BOOKLOADER_DATA_",
    "_POST_FLAT_FILE_ORDER_ACKNOWLEDGEMENT_DATA_",
    "_POST_FLAT_FILE_FULFILLMENT_DATA_",
    "_POST_FLAT_FILE_PAYMENT_ADJUSTMENT_DATA_",
})

FEED_TYPES = frozenset(XML_FEED_TYPES) | FLAT_FILE_FEED_TYPES

# "MarketplaceIdList: required for _POST_PRODUCT_IMAGE_DATA_" (Feeds_SubmitFeed).
NEEDS_MARKETPLACE_LIST = frozenset({"_POST_PRODUCT_IMAGE_DATA_"})

# The fourteen names AmazonEnvelope allows for MessageType and for a Message's payload element.
MESSAGE_TYPES = ("FulfillmentCenter", "Inventory", "Listings", "OrderAcknowledgement", "OrderAdjustment",
                 "OrderFulfillment", "OrderReport", "Override", "Price", "ProcessingReport", "Product",
                 "ProductImage", "Relationship", "SettlementReport")

SUBMITTED = "_SUBMITTED_"
IN_PROGRESS = "_IN_PROGRESS_"
DONE = "_DONE_"
CANCELLED = "_CANCELLED_"
PROCESSING_STATUSES = ("_AWAITING_ASYNCHRONOUS_REPLY_", CANCELLED, DONE, IN_PROGRESS, "_IN_SAFETY_NET_",
                       SUBMITTED, "_UNCONFIRMED_")
FINAL_STATUSES = frozenset({DONE, CANCELLED})
