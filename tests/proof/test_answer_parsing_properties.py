"""Whatever an endpoint answers, reading it ends in JSON or in the connector's own error, never in a crash.

tests/unit/test_mapper_properties.py maps trees against the order schema and
parses raw bytes; this adds the whole path an answer takes (envelope check,
ErrorResponse, result element, mapping by every out-schema the functions use),
the error-answer reader for any status, and the streamed report reader.
"""

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from mws_component import errors, schemas
from mws_component.mws import envelope, feeds as feed_submissions, orders
from mws_component.mws.envelope import parse_error
from mws_component.pipeline import RawAnswer

OPERATIONS = ["ListOrders", "ListOrdersByNextToken", "GetOrder", "ListOrderItems", "GetFeedSubmissionList"]
READERS = {  # how each function reads a result
    "orders": orders.orders_of,
    "order items": orders.order_items_of,
    "submission": lambda result: feed_submissions.submission_info(result.result.find("FeedSubmissionInfo")),
}


def element_names():
    """Every element name the out-schemas know (keys with their first letter raised, and xmlName/xmlItem)."""
    names = set()

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "properties" and isinstance(value, dict):
                    names.update(k[:1].upper() + k[1:] for k in value)
                if key in ("xmlName", "xmlItem") and isinstance(value, str):
                    names.add(value)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    for name in ("order.json", "orderItem.json", "feedSubmissionInfo.json", "processingResult.json"):
        walk(schemas.load(name))
    return sorted(names | {"Orders", "OrderItems", "NextToken", "ErrorResponse", "Error", "Code", "Message"})


NAMES = st.sampled_from(element_names())
# Values that look almost right: dates, numbers, booleans, money, and plain junk.
VALUES = st.one_of(st.sampled_from(["2024-02-30T10:00:00Z", "2024-01-01T00:00:00.000Z", "2024-01-01%2000:00", "",
                                    "-1", "1e309", "abc", "true", "maybe", "0", "12.345", "USD", "9" * 400]),
                   st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=20))
TREES = st.recursive(st.tuples(NAMES, VALUES, st.just([])),
                     lambda kids: st.tuples(NAMES, VALUES, st.lists(kids, max_size=4)), max_leaves=25)


def build(node):
    name, text, kids = node
    element = etree.Element(name)
    try:
        element.text = text
    except ValueError:  # a control character lxml refuses to hold
        element.text = "x"
    element.extend(build(kid) for kid in kids)
    return element


def answer_body(operation, tree, namespace):
    root = etree.Element(f"{{{namespace}}}{operation}Response" if namespace else f"{operation}Response")
    result = etree.SubElement(root, f"{operation}Result")
    result.append(build(tree))
    return etree.tostring(root)




def read(operation, body):
    """What a function does with a 200 answer: the result element, then each reader over it."""
    try:
        result = envelope.parse(operation, RawAnswer(200, {}, body))
    except errors.ConnectorError:
        return
    for reader in READERS.values():
        try:
            reader(result)
        except errors.ConnectorError:
            pass


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(OPERATIONS), TREES, st.sampled_from([None, "https://mws.amazonservices.com/Orders/2013-09-01"]))
def test_any_tree_in_an_answer_maps_or_is_refused(operation, tree, namespace):
    read(operation, answer_body(operation, tree, namespace))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(OPERATIONS), st.one_of(st.binary(max_size=400), st.text(max_size=400).map(str.encode)))
def test_any_bytes_as_an_answer_map_or_are_refused(operation, body):
    read(operation, body)


@settings(max_examples=300, deadline=None)
@given(st.integers(100, 599), st.one_of(st.binary(max_size=300), TREES.map(lambda t: etree.tostring(build(t)))))
def test_any_error_answer_becomes_an_mws_error(status, body):
    error = parse_error(status, body, {"x-mws-request-id": "r"}, secrets=("secret",))
    assert isinstance(error, errors.MwsError) and error.status == status and len(str(error)) < 2000


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.binary(max_size=400), TREES.map(lambda t: etree.tostring(build(("AmazonEnvelope", "", [t]))))))
def test_any_report_streams_or_is_refused(body):
    try:
        list(feed_submissions.read_report(io.BytesIO(body)))
    except errors.ResponseError:
        pass
