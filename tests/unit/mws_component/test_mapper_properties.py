"""Property: the mapper returns JSON or raises the connector's own error, for any XML."""

from hypothesis import given, settings, strategies as st
from lxml import etree

from mws_component import errors, schemas, xmlsafe
from mws_component.mws import orders
from mws_component.mapper import map_element

NAMES = st.sampled_from(["Order", "AmazonOrderId", "OrderTotal", "Amount", "CurrencyCode", "PaymentMethodDetails",
                         "PaymentMethodDetail", "NumberOfItemsShipped", "IsPrime", "PurchaseDate", "X", "ShippingAddress",
                         "BuyerTaxInfo", "TaxClassifications", "TaxClassification", "Name"])
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)


def trees(depth=3):
    leaf = st.tuples(NAMES, TEXT, st.just([]))
    if depth == 0:
        return leaf
    return st.one_of(leaf, st.tuples(NAMES, TEXT, st.lists(trees(depth - 1), max_size=4)))


def build(node):
    name, text, kids = node
    element = etree.Element(name)
    try:
        element.text = text
    except ValueError:
        element.text = "x"
    for kid in kids:
        element.append(build(kid))
    return element


@settings(max_examples=300, deadline=None)
@given(trees())
def test_mapper_never_crashes_on_arbitrary_trees(node):
    value = map_element(build(node), schemas.load("order.json"))
    assert isinstance(value, dict)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_parser_returns_or_raises_its_own_error_on_arbitrary_bytes(body):
    try:
        xmlsafe.parse(body)
    except errors.ResponseError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_wrapped_as_a_list_orders_answer(text):
    body = f'<ListOrdersResponse><ListOrdersResult><Orders>{text}</Orders></ListOrdersResult></ListOrdersResponse>'
    try:
        root = xmlsafe.parse(body.encode("utf-8", "surrogatepass"))
    except errors.ResponseError:
        return
    result = type("R", (), {"result": xmlsafe.find(root, "ListOrdersResult"), "operation": "ListOrders"})
    assert isinstance(orders.orders_of(result), list)
