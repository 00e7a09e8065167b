"""Helpers for the Feeds tests: a signing Feeds caller, feeds built with lxml, reading reports.

Feeds are built here with lxml.builder, independently of the component's
feed writer (mws_component.feeds), so these tests exercise the sandbox only.
"""

import base64
import hashlib

from lxml import etree
from lxml.builder import E

from mws_component.mws import signing

from .conftest import Caller, parsed

FEEDS_PATH = "/Feeds/2009-01-01"
FEEDS_NS = "http://mws.amazonaws.com/doc/2009-01-01/"
NS = {"f": FEEDS_NS}
SELLER = "A1SANDBOXSELLER"
US = "ATVPDKIKX0DER"
INVENTORY = "_POST_INVENTORY_AVAILABILITY_DATA_"
PRODUCT = "_POST_PRODUCT_DATA_"
PRICING = "_POST_PRODUCT_PRICING_DATA_"
IMAGES = "_POST_PRODUCT_IMAGE_DATA_"
RELATIONSHIPS = "_POST_PRODUCT_RELATIONSHIP_DATA_"
ACKNOWLEDGEMENT = "_POST_ORDER_ACKNOWLEDGEMENT_DATA_"
FULFILLMENT = "_POST_ORDER_FULFILLMENT_DATA_"


def md5_of(body):
    return base64.b64encode(hashlib.md5(body).digest()).decode("ascii")


class FeedsCaller(Caller):
    """Signs Feeds requests; sends the seller as `Merchant` (what Feeds clients send) unless told otherwise."""

    def __init__(self, sandbox, seller_param="Merchant"):
        super().__init__(sandbox, FEEDS_PATH, "2009-01-01")
        self.seller_param = seller_param

    def base_params(self, action):
        params = super().base_params(action)
        params[self.seller_param] = params.pop("SellerId")
        return params

    def submit(self, feed_type, body, *, md5="param", content_type="text/xml", **params):
        """SubmitFeed: parameters signed in the query string, the feed as the body.

        `md5`: "param" (ContentMD5Value), "header" (Content-MD5), "both", None, or a literal wrong value.
        """
        values = {"FeedType": feed_type, **params}
        headers = {"Content-Type": content_type}
        if md5 in ("param", "both"):
            values["ContentMD5Value"] = md5_of(body)
        if md5 in ("header", "both"):
            headers["Content-MD5"] = md5_of(body)
        if md5 not in ("param", "header", "both", None):
            values["ContentMD5Value"] = md5
        signed = self.signed("SubmitFeed", values)
        url = f"{self.sandbox.url}{self.path}?{signing.encode_query(signed)}"
        return parsed(self.session.post(url, data=body, headers=headers, timeout=180))

    def submitted_id(self, feed_type, body, **params):
        response = self.submit(feed_type, body, **params)
        assert response.status_code == 200, response.text
        return response.xml.findtext(".//f:FeedSubmissionId", namespaces=NS)

    def status(self, submission_id):
        response = self.call("GetFeedSubmissionList", {"FeedSubmissionIdList.Id.1": submission_id})
        assert response.status_code == 200, response.text
        return response.xml.findtext(".//f:FeedProcessingStatus", namespaces=NS)

    def result(self, submission_id):
        return self.call("GetFeedSubmissionResult", {"FeedSubmissionId": submission_id})

    def report(self, feed_type, body, **params):
        """Submit, let the sandbox finish the feed (it must run with feed_processing_seconds=0), read the report."""
        response = self.result(self.submitted_id(feed_type, body, **params))
        assert response.status_code == 200, response.text
        return Report(response.content)


def envelope(message_type, *messages, seller=SELLER, version="1.01"):
    """An AmazonEnvelope; each message is a payload element or (OperationType, payload)."""
    root = E.AmazonEnvelope(E.Header(E.DocumentVersion(version), E.MerchantIdentifier(seller)),
                            E.MessageType(message_type))
    for number, message in enumerate(messages, 1):
        operation, payload = message if isinstance(message, tuple) else (None, message)
        element = E.Message(E.MessageID(str(number)))
        if operation:
            element.append(E.OperationType(operation))
        element.append(payload)
        root.append(element)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def inventory(sku, quantity=None, **children):
    payload = E.Inventory(E.SKU(sku))
    if quantity is not None:
        payload.append(E.Quantity(str(quantity)))
    for name, value in children.items():
        payload.append(E(name, str(value)))
    return payload


def price(sku, amount, currency="USD"):
    return E.Price(E.SKU(sku), E.StandardPrice(str(amount), currency=currency))


class Report:
    """A processing report body, parsed."""

    def __init__(self, body):
        self.body = body
        self.root = etree.fromstring(body)
        report = self.root.find("Message/ProcessingReport")
        summary = report.find("ProcessingSummary")
        self.transaction_id = report.findtext("DocumentTransactionID")
        self.status_code = report.findtext("StatusCode")
        self.summary = tuple(int(summary.findtext(name)) for name in (
            "MessagesProcessed", "MessagesSuccessful", "MessagesWithError", "MessagesWithWarning"))
        self.results = [{
            "id": int(r.findtext("MessageID")), "kind": r.findtext("ResultCode"),
            "code": int(r.findtext("ResultMessageCode")), "text": r.findtext("ResultDescription"),
            "sku": r.findtext("AdditionalInfo/SKU"), "order": r.findtext("AdditionalInfo/AmazonOrderID"),
            "item": r.findtext("AdditionalInfo/AmazonOrderItemCode"),
        } for r in report.iterfind("Result")]

    def codes(self):
        return [(r["id"], r["kind"], r["code"]) for r in self.results]
