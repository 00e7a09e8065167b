"""The body GetFeedSubmissionResult returns: a ProcessingReport envelope, or a flat-file text summary.

The XML report (Feeds_GetFeedSubmissionResult; ProcessingReport in
amzn-envelope.xsd) is written element by element with lxml's incremental writer, so a report of 100,000 results never exists as a tree;
each Result is a small element written and forgotten. AdditionalInfo keeps
only values of a form its XSD type accepts, so the report always validates
against amzn-envelope.xsd, whatever the feed contained.
"""

import io
import re

from lxml import etree

XSI = "http://www.w3.org/2001/XMLSchema-instance"
DOCUMENT_VERSION = "1.02"
# Amazon's declaration used double quotes; lxml's own uses single ones.
DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
_AMAZON_ORDER_ID = re.compile(r"\w{3}-\w{7}-\w{7}")
_ORDER_ITEM_CODE = re.compile(r"\d{14}")
_NORMALIZE = str.maketrans("\t\n\r", "   ")
# Characters XML 1.0 cannot carry (a parser message may quote raw bytes); replaced like MWS did, by U+FFFD.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_report(seller_id, submission_id, outcome):
    buffer = io.BytesIO()
    buffer.write(DECLARATION)
    with etree.xmlfile(buffer, encoding="UTF-8") as xf:
        with xf.element("AmazonEnvelope", nsmap={"xsi": XSI},
                        attrib={f"{{{XSI}}}noNamespaceSchemaLocation": "amzn-envelope.xsd"}):
            xf.write("\n")
            header = etree.Element("Header")
            _text(header, "DocumentVersion", DOCUMENT_VERSION)
            _text(header, "MerchantIdentifier", seller_id)
            xf.write(header, _text(None, "MessageType", "ProcessingReport"), "\n")
            with xf.element("Message"):
                xf.write(_text(None, "MessageID", "1"))
                with xf.element("ProcessingReport"):
                    xf.write(_text(None, "DocumentTransactionID", submission_id), _text(None, "StatusCode", "Complete"),
                             _summary(outcome), "\n")
                    for result in outcome.results:
                        xf.write(_result(result), "\n")
            xf.write("\n")
    return buffer.getvalue()


def _text(parent, name, value):
    element = etree.Element(name) if parent is None else etree.SubElement(parent, name)
    element.text = str(value)
    return element


def _summary(outcome):
    summary = etree.Element("ProcessingSummary")
    for name, value in (("MessagesProcessed", outcome.processed), ("MessagesSuccessful", outcome.successful),
                        ("MessagesWithError", outcome.with_error), ("MessagesWithWarning", outcome.with_warning)):
        _text(summary, name, value)
    return summary


def _result(result):
    element = etree.Element("Result")
    _text(element, "MessageID", result.message_id)
    _text(element, "ResultCode", result.kind)
    _text(element, "ResultMessageCode", result.code)
    # Feed values are XML-safe (they were parsed); a parser's own message may quote raw bytes.
    _text(element, "ResultDescription", _NOT_XML.sub("\ufffd", result.description))
    info = [(name, value) for name, value in (("SKU", _sku(result.subject.sku)),
                                              ("AmazonOrderID", _match(_AMAZON_ORDER_ID, result.subject.order_id)),
                                              ("AmazonOrderItemCode", _match(_ORDER_ITEM_CODE,
                                                                             result.subject.item_code)))
            if value is not None]
    if info:
        additional = etree.SubElement(element, "AdditionalInfo")
        for name, value in info:
            _text(additional, name, value)
    return element


def _sku(value):
    """SKUType: a normalizedString of 1 to 40 characters."""
    if value is None:
        return None
    value = value.translate(_NORMALIZE)
    return value if value.strip() and len(value) <= 40 else None


def _match(pattern, value):
    value = value.strip() if value else value
    return value if value and pattern.fullmatch(value) else None


def flat_file_report(code, feed_type):
    """Amazon's tab-separated processing summary for flat files, with one document-level error row."""
    lines = [
        "Feed Processing Summary:",
        "\tNumber of records processed\t\t0",
        "\tNumber of records successful\t\t0",
        "",
        "original-record-number\tsku\terror-code\terror-type\terror-message",
        f"0\t\t{code}\tError\tThe MWS sandbox accepts flat-file feeds ({feed_type}) but does not process them; "
        "submit the matching XML feed type instead.",
        "",
    ]
    return "\n".join(lines).encode("cp1252")
