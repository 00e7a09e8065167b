"""MWS response documents, built with lxml: the success envelope and ErrorResponse.

Success: <{Action}Response xmlns=section><{Action}Result>…</…><ResponseMetadata><RequestId>
Error:   <ErrorResponse xmlns=section><Error><Type/><Code/><Message/></Error><RequestId/>
(Amazon MWS Developer Guide, Response format).
"""

import re

from lxml import etree

# What XML 1.0 cannot carry even escaped (most C0 controls, lone surrogates, U+FFFE, U+FFFF).
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class Builder:
    """Adds children in one namespace; skips optional values that are None."""

    def __init__(self, namespace):
        self.namespace = namespace

    def tag(self, name):
        return f"{{{self.namespace}}}{name}"

    def root(self, name):
        return etree.Element(self.tag(name), nsmap={None: self.namespace})

    def child(self, parent, name, text=None):
        element = etree.SubElement(parent, self.tag(name))
        if text is not None:
            element.text = text
        return element

    def text(self, parent, name, value):
        """An optional text element: nothing when `value` is None; booleans as true/false."""
        if value is None:
            return None
        if isinstance(value, bool):
            value = "true" if value else "false"
        return self.child(parent, name, str(value))

    def money(self, parent, name, money):
        if money is None:
            return None
        element = self.child(parent, name)
        self.child(element, "CurrencyCode", money.currency)
        self.child(element, "Amount", money.text)
        return element


def serialize(root):
    # Amazon's declaration used double quotes; lxml's own uses single ones.
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="UTF-8", xml_declaration=False)


def success(namespace, action, request_id, fill):
    """The `{action}Response` document; `fill(builder, result_element)` writes the result."""
    b = Builder(namespace)
    root = b.root(f"{action}Response")
    fill(b, b.child(root, f"{action}Result"))
    metadata = b.child(root, "ResponseMetadata")
    b.child(metadata, "RequestId", request_id)
    return serialize(root)


def error(namespace, error_type, code, message, request_id, request_id_tag="RequestId"):
    """An ErrorResponse. Amazon spells the id `RequestId` or `RequestID` depending on the error."""
    b = Builder(namespace)
    root = b.root("ErrorResponse")
    element = b.child(root, "Error")
    b.child(element, "Type", error_type)
    b.child(element, "Code", code)
    # A message may quote a parameter the client sent, with any character in it.
    b.child(element, "Message", _NOT_XML_CHAR.sub("\ufffd", message))
    b.child(root, request_id_tag, request_id)
    return serialize(root)
