"""The bad-input corpus: inputs every function must refuse before sending anything.

Each case is data: {"function", "cfg" (overrides of the step's cfg; None
removes a field), "body", "field"} where `field` is what the error must name.
Batches put the bad item after good ones, so the index in the field is checked
too. Large values (10 MB strings, 1,001 ids, 100,001 items) are built here
rather than stored.
"""

import copy
import json
from pathlib import Path

HUGE = "x" * (10 * 1024 * 1024)  # 10 MB of text where a few characters are allowed
ORDER_ID = "123-1234567-1234567"
INDEX = 2  # where the bad item sits in a batch: after two good ones

# Step fields every case starts from (credentials come from the sandbox).
STEP_FIELDS = {
    "listOrders": {},
    "submitProduct": {"operation": "Upsert", "category": "Health"},
    "submitProductFromPayload": {"operation": "Upsert"},
    "submitInventory": {}, "changeProductPrice": {}, "changeProductImage": {},
    "establishProductRelationships": {}, "acknowledgeOrder": {}, "confirmShipment": {},
    "listOrderItems": {}, "getOrder": {}, "getFeedSubmissionStatus": {}, "getFeedSubmissionResult": {},
}

# One valid input per function; each case spoils one part of it.
GOOD_BODY = {
    "listOrders": {},
    "listOrderItems": {"amazonOrderId": ORDER_ID},
    "getOrder": {"amazonOrderIds": [ORDER_ID]},
    "getFeedSubmissionStatus": {"feedSubmissionId": "50001018000"},
    "getFeedSubmissionResult": {"feedSubmissionId": "50001018000"},
}
GOOD_ITEM = {
    "submitInventory": {"sku": "SKU-1", "quantity": 3},
    "changeProductPrice": {"sku": "SKU-1", "standardPrice": {"value": "19.99", "currency": "USD"}},
    "submitProduct": {"sku": "NEW-1", "descriptionData": {"title": "Vitamin C 500 mg"},
                      "productData": {"health": {"productType": {"healthMisc": {}}}}},
    "submitProductFromPayload": {"category": "Health", "sku": "NEW-1", "descriptionData": {"title": "Vitamin C"},
                                 "productData": {"health": {"productType": {"healthMisc": {}}}}},
    "changeProductImage": {"sku": "SKU-1", "imageType": "Main", "imageLocation": "https://img.example.com/a.jpg"},
    "establishProductRelationships": {"parentSKU": "P-1", "relation": [{"sku": "C-1", "type": "Variation"}]},
    "acknowledgeOrder": {"amazonOrderID": ORDER_ID, "statusCode": "Success"},
    "confirmShipment": {"amazonOrderID": ORDER_ID, "fulfillmentDate": "2024-01-31T12:00:00Z",
                        "fulfillmentData": {"carrierCode": "UPS", "shipperTrackingNumber": "1Z999"},
                        "item": [{"amazonOrderItemCode": "12345678901234", "quantity": 1}]},
}
FEED_ACTIONS = tuple(GOOD_ITEM)
ALL_FUNCTIONS = tuple(STEP_FIELDS)


def good_body(function):
    return {"items": [GOOD_ITEM[function]] * 3} if function in GOOD_ITEM else GOOD_BODY[function]


def case(function, body=None, field=None, says=None, **cfg):
    """`says`: a text the error message must also contain (e.g. the nearest known value)."""
    return {"function": function, "cfg": cfg, "body": good_body(function) if body is None else body, "field": field,
            "says": says}


def changed(item, path, value):
    """A deep copy of `item` with the value at `path` (keys and indexes) replaced; None deletes it."""
    item = copy.deepcopy(item)
    parent = item
    for step in path[:-1]:
        parent = parent[step]
    if value is None:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return item


def feed_cases(function, path, values, field=None, item=None, says=None):
    """The bad value at `path` of an item (by default the function's good one), alternately as the
    single-item body and as the third item of a batch. `field`: what the error names, if not `path`."""
    field = field or ".".join(f"[{p}]" if isinstance(p, int) else p for p in path).replace(".[", "[")
    for number, value in enumerate(values):
        bad = changed(item or GOOD_ITEM[function], path, value)
        if number % 2:
            yield case(function, bad, f"body.{field}", says)
        else:
            yield case(function, {"items": [GOOD_ITEM[function]] * INDEX + [bad]}, f"body.items[{INDEX}].{field}", says)


# -- credentials, each tried on another function, so every function reads them first --------
_BAD_CREDENTIALS = [
    ("sellerId", None), ("sellerId", ""), ("sellerId", 12), ("sellerId", "bad id!"), ("sellerId", HUGE),
    ("accessKeyId", None), ("accessKeyId", "  "), ("accessKeyId", "AKIA KEY"), ("accessKeyId", ["AKIAKEY000001"]),
    ("secretAccessKey", None), ("secretAccessKey", ""), ("secretAccessKey", 42),
    ("marketplaceId", None), ("marketplaceId", "XX"), ("marketplaceId", "atvpdkikx0der"), ("marketplaceId", HUGE),
    ("endpoint", "http://mws.example.com"), ("endpoint", "http://10.0.0.5:8080"), ("endpoint", "ftp://127.0.0.1"),
    ("endpoint", "https://"), ("endpoint", "https://mws.example.com/?x=1"), ("endpoint", "javascript:alert(1)"),
    ("endpoint", 8080), ("endpoint", "https://" + HUGE), ("endpoint", "https://mws example.com"),
    ("endpoint", "https://mws.example.com:99999"), ("endpoint", "https://mws.example.com:abc"),
    ("endpoint", "https://mws..example.com"), ("endpoint", "https://mws\x00.example.com"),
    ("endpoint", "http://127.attacker.example"),  # a name, not a loopback address: no plain http
    # URLs urllib itself cannot split: its words ("Invalid IPv6 URL") come with the field's name
    ("endpoint", "http://[::1"), ("endpoint", "https://[::1"), ("endpoint", "http://[zz]:80"),
    ("endpoint", "https://]mws.example.com["), ("endpoint", "http://[::1]:port"), ("endpoint", "https://[::1]]"),
    ("mwsAuthToken", 7),
]
CREDENTIAL_CASES = [case(ALL_FUNCTIONS[n % len(ALL_FUNCTIONS)], field=name, **{name: value})
                    for n, (name, value) in enumerate(_BAD_CREDENTIALS)]

# -- SP-API credentials (cfg api "spapi"), each tried on another function ----------------------------
MWS_ONLY_FIELDS = ("accessKeyId", "secretAccessKey", "mwsAuthToken")  # not read when api is "spapi"
_BAD_SPAPI_CREDENTIALS = [
    ("lwaClientId", None), ("lwaClientId", ""), ("lwaClientId", "  "), ("lwaClientId", 12),
    ("lwaClientId", "amzn1.application-oa2-client.a b"), ("lwaClientId", HUGE),
    ("lwaClientSecret", None), ("lwaClientSecret", ""), ("lwaClientSecret", 42), ("lwaClientSecret", "sec\nret"),
    ("refreshToken", None), ("refreshToken", ""), ("refreshToken", ["Atzr|x"]), ("refreshToken", "Atzr|a b"),
    ("refreshToken", "Atza|IwEBI-an-access-token-not-a-refresh-token"),  # the one-hour access token
    ("endpoint", "http://sellingpartnerapi-na.amazon.com"), ("endpoint", "http://10.0.0.5:8080"),
    ("endpoint", "ftp://127.0.0.1"), ("endpoint", "https://sp.example.com/?x=1"), ("endpoint", "http://127.attacker.example"),
    ("lwaEndpoint", "http://api.amazon.com/auth/o2/token"), ("lwaEndpoint", "http://10.0.0.5/auth/o2/token"),
    ("lwaEndpoint", "ftp://127.0.0.1/auth/o2/token"), ("lwaEndpoint", "javascript:alert(1)"), ("lwaEndpoint", 443),
    ("marketplaceId", None), ("marketplaceId", "XX"), ("marketplaceId", "A1NOTAMARKETPLACE"), ("marketplaceId", HUGE),
    ("sellerId", None), ("sellerId", "bad id!"),
    ("api", "sp-api"), ("api", 1),
]
SPAPI_CREDENTIAL_CASES = [case(ALL_FUNCTIONS[n % len(ALL_FUNCTIONS)], field=name, **{name: value})
                          for n, (name, value) in enumerate(_BAD_SPAPI_CREDENTIALS)]

# -- the List Orders trigger's step fields -----------------------------------------------------
TRIGGER_CASES = [case("listOrders", field="endTime", startTime="2024-01-01T00:00:00Z", endTime="2023-12-31T23:59:59Z")]
TRIGGER_CASES += [case("listOrders", field=name, **{name: value}) for name, value in [
    ("orderStatus", ["Shipped", "Lost"]), ("orderStatus", "Shipped,Nope"), ("orderStatus", [3]),
    ("orderStatus", ["<Status>Shipped</Status>"]), ("orderStatus", [HUGE]),
    ("maxResultsPerPage", "0"), ("maxResultsPerPage", "101"), ("maxResultsPerPage", "-5"),
    ("maxResultsPerPage", "abc"), ("maxResultsPerPage", "1.5"), ("maxResultsPerPage", 2.5),
    ("maxResultsPerPage", True), ("maxResultsPerPage", [10]), ("maxResultsPerPage", HUGE),
    ("startTime", "yesterday-ish"), ("startTime", "2024-13-01"), ("startTime", 12345), ("startTime", "\x00"),
    ("startTime", HUGE),
    ("endTime", "not a date"),
    ("emitBehavior", "all"), ("emitBehavior", 1), ("emitBehavior", "emitindividually"), ("emitBehavior", HUGE),
    ("marketplaceIds", ["NOPE"]), ("marketplaceIds", "A1PA6795UKMFR9,NOPE"),
    ("marketplaceIds", ["ATVPDKIKX0DER"] * 51), ("marketplaceIds", ["ATVPDKIKX0DER</Id><Id>X"]),
    ("marketplaceIds", [HUGE]), ("marketplaceIds", [["ATVPDKIKX0DER"]]), ("marketplaceIds", 7),
    ("orderStatus", [{"status": "Shipped"}]), ("orderStatus", {"Shipped": True}),
]]

# -- the Orders actions --------------------------------------------------------------------------
ORDER_ACTION_CASES = [
    case("listOrderItems", {}, "body.amazonOrderId"),
    case("listOrderItems", {"amazonOrderId": 12}, "body.amazonOrderId"),
    case("listOrderItems", {"amazonOrderId": None}, "body.amazonOrderId"),
    case("listOrderItems", {"amazonOrderId": ""}, "body.amazonOrderId"),
    case("listOrderItems", {"amazonOrderId": "12-34"}, "body.amazonOrderId"),
    case("listOrderItems", {"amazonOrderId": ORDER_ID + "\n"}, "body.amazonOrderId"),
    case("listOrderItems", {"amazonOrderId": "١٢٣-١٢٣٤٥٦٧-١٢٣٤٥٦٧"}, "body.amazonOrderId"),  # Arabic digits
    case("listOrderItems", {"amazonOrderId": ORDER_ID + "</AmazonOrderId>"}, "body.amazonOrderId"),
    case("listOrderItems", {"amazonOrderId": "&xxe;"}, "body.amazonOrderId"),
    case("listOrderItems", {"amazonOrderId": HUGE}, "body.amazonOrderId"),
    case("listOrderItems", {"amazonOrderId": [ORDER_ID]}, "body.amazonOrderId"),
    case("listOrderItems", {"amazonOrderId": ORDER_ID + " ", "purchaseDate": "2024-01-01"}, "body.amazonOrderId"),
    case("listOrderItems", ["not", "an", "object"], "body"),
    case("getOrder", {}, "body.amazonOrderIds"),
    case("getOrder", {"amazonOrderIds": ORDER_ID}, "body.amazonOrderIds"),
    case("getOrder", {"amazonOrderIds": []}, "body.amazonOrderIds"),
    case("getOrder", {"amazonOrderIds": [ORDER_ID] * 1001}, "body.amazonOrderIds"),
    case("getOrder", {"amazonOrderIds": [ORDER_ID, ORDER_ID, "12-34"]}, "body.amazonOrderIds[2]"),
    case("getOrder", {"amazonOrderIds": [ORDER_ID, 1234567]}, "body.amazonOrderIds[1]"),
    case("getOrder", {"amazonOrderIds": [ORDER_ID, None]}, "body.amazonOrderIds[1]"),
    case("getOrder", {"amazonOrderIds": [ORDER_ID, ORDER_ID + " "]}, "body.amazonOrderIds[1]"),
    case("getOrder", {"amazonOrderIds": [ORDER_ID + "\n"]}, "body.amazonOrderIds[0]"),
    case("getOrder", {"amazonOrderIds": ["<Id>" + ORDER_ID + "</Id>"]}, "body.amazonOrderIds[0]"),
    case("getOrder", {"amazonOrderIds": [HUGE]}, "body.amazonOrderIds[0]"),
    case("getOrder", {"amazonOrderIds": [ORDER_ID], "amazonOrderId": ORDER_ID}, "body.amazonOrderId"),
    case("getOrder", {"amazonOrderId": "12-34"}, "body.amazonOrderId"),
    case("getOrder", {"amazonOrderId": [ORDER_ID]}, "body.amazonOrderId"),
    case("getOrder", {"amazonOrderId": None}, "body.amazonOrderId"),
    case("getOrder", {"orderStatus": "Shipped"}, "body.amazonOrderIds"),  # extra fields, but no id
]
FEED_STATUS_CASES = [
    case(function, body, field)
    for function in ("getFeedSubmissionStatus", "getFeedSubmissionResult")
    for body, field in [
        ({}, "body.feedSubmissionId"), ({"feedSubmissionId": ""}, "body.feedSubmissionId"),
        ({"feedSubmissionId": 50001018000}, "body.feedSubmissionId"),
        ({"feedSubmissionId": "abc"}, "body.feedSubmissionId"),
        ({"feedSubmissionId": "-1"}, "body.feedSubmissionId"),
        ({"feedSubmissionId": "1" * 21}, "body.feedSubmissionId"),
        ({"feedSubmissionId": "123\n"}, "body.feedSubmissionId"),
        ({"feedSubmissionId": "１２３"}, "body.feedSubmissionId"),  # full-width digits
        ({"feedSubmissionId": "1&amp;2"}, "body.feedSubmissionId"),
        ({"feedSubmissionId": HUGE}, "body.feedSubmissionId"),
        ({"feedSubmissionId": "1\x00", "feedType": "_POST_PRODUCT_DATA_"}, "body.feedSubmissionId"),
    ]
]

# -- the feed actions ------------------------------------------------------------------------------
# Values XML 1.0 cannot carry, and markup that must never reach a feed as markup: here each sits in
# a field whose format (length, pattern, enumeration, number, date, URL) refuses it.
CONTROL_CHARACTERS = ["A\x00B", "A\x01", "\x1f", "A\ufffe", "A\uffff", "A\ud800"]

FEED_CASES = [
    # the message body itself
    case("submitInventory", [], "body"), case("submitInventory", "SKU-1", "body"),
    case("submitInventory", {}, "body"), case("submitInventory", {"items": []}, "body.items"),
    case("submitInventory", {"items": {"sku": "SKU-1"}}, "body.items"),
    case("submitInventory", {"items": [GOOD_ITEM["submitInventory"]] * 100_001}, "body.items"),
    case("changeProductPrice", {"items": [GOOD_ITEM["changeProductPrice"]] * 100_001}, "body.items"),
    case("submitInventory", {"items": [GOOD_ITEM["submitInventory"], "SKU-2"]}, "body.items[1]"),
    case("acknowledgeOrder", {"items": [GOOD_ITEM["acknowledgeOrder"], None]}, "body.items[1]"),
    # step fields
    case("submitInventory", field="operation", operation="PartialUpdate"),
    case("changeProductPrice", field="operation", operation="Purge"),
    case("submitProduct", field="category", category="Nope"),
    case("submitProduct", field="category", category=None),
    case("submitProduct", field="operation", operation="Replace"),
    case("submitProductFromPayload", field="operation", operation="<x/>"),
    case("submitInventory", field="operation", operation=HUGE),
    case("submitProduct", field="category", category=HUGE),
    # inventory: quantities, text, dates, enumerations, choices
    *feed_cases("submitInventory", ("quantity",), [-1, 1.5, "2.5", "five", True, "1</Quantity><Quantity>999",
                                                   -0.5, "1e3", [1], {"value": 1}]),
    *feed_cases("submitInventory", ("sku",), ["", "S" * 41, HUGE, 12.5, None, *CONTROL_CHARACTERS,
                                              "<![CDATA[" + "x" * 40 + "]]>"]),
    *feed_cases("submitInventory", ("fulfillmentLatency",), [0, -3, 2.5, "soon"]),
    *feed_cases("submitInventory", ("restockDate",), ["2024-02-30", "05/01/2024", "2024-01-05T00:00:00",
                                                      1704067200, "2024-01-01</RestockDate><x>"]),
    *feed_cases("submitInventory", ("switchFulfillmentTo",), ["FBA", "mfn", "MFN\"/><x a=\""]),
    *feed_cases("submitInventory", ("available",), ["yes", "TRUE", 2], item={"sku": "SKU-1", "available": True}),
    *feed_cases("submitInventory", ("available",), [True], field="quantity"),  # both of a choice
    *feed_cases("submitInventory", ("quantitiy",), [1]),
    *feed_cases("submitInventory", ("operationType",), ["PartialUpdate", "update"]),
    *feed_cases("submitInventory", ("fulfillmentCenterID",), ["F" * 51, "AMAZON_NA\x0b"]),
    # prices: four decimal places at most, known currencies
    *feed_cases("changeProductPrice", ("standardPrice", "value"), ["19.99999", "0.00001", 19.123456, "1e3", True,
                                                                   "19,99", "", "1" * 21, "12.5</StandardPrice>"]),
    *feed_cases("changeProductPrice", ("standardPrice", "currency"), ["XXX", "usd", "€", "", "USD\"><x/>"]),
    *feed_cases("changeProductPrice", ("standardPrice",), [19.99, "19.99", []]),
    *feed_cases("changeProductPrice", ("standardPrice", "currency"), [None]),
    *feed_cases("changeProductPrice", ("businessPrice",), ["9.12345", "abc"]),
    *feed_cases("changeProductPrice", ("map",), [{"value": "5.00001", "currency": "USD"}], field="map.value"),
    *feed_cases("changeProductPrice", ("quantityPriceType",), ["bulk", "Fixed"]),
    *feed_cases("changeProductPrice", ("sku",), ["S" * 41, "\x07"]),
    *feed_cases("changeProductPrice", ("sale",), [{"startDate": "tomorrow", "endDate": "2030-01-01T00:00:00Z",
                                                   "salePrice": {"value": "1", "currency": "USD"}}],
                field="sale.startDate"),
    # products: MSRP has two decimal places, titles 500 characters, five bullet points
    *feed_cases("submitProduct", ("descriptionData", "msrp"), [{"value": "1.999", "currency": "USD"},
                                                               {"value": 0.1 + 0.2, "currency": "USD"},
                                                               {"value": "-1.001", "currency": "EUR"}],
                field="descriptionData.msrp.value"),
    *feed_cases("submitProduct", ("descriptionData", "msrp"), [{"value": "1.99", "currency": "AUD"},
                                                               {"value": "1.99", "currency": "XYZ"}],
                field="descriptionData.msrp.currency"),
    *feed_cases("submitProduct", ("descriptionData", "title"), ["t" * 501, "Title\x0b", HUGE, ""]),
    *feed_cases("submitProduct", ("descriptionData", "bulletPoint"), [["b"] * 6, "one point"]),
    *feed_cases("submitProduct", ("productData",),
                [{"toys": {"productType": {"toysAndGames": {}}, "ageRecommendation": {}}}],
                field="productData.toys"),  # not the step's category
    *feed_cases("submitProduct", ("productData",), [{"health": {}, "beauty": {}}], field="productData.beauty"),
    *feed_cases("submitProduct", ("sku",), ["", "S" * 41]),
    *feed_cases("submitProduct", ("condition",), [{"conditionType": "Mint"}], field="condition.conditionType"),
    *feed_cases("submitProductFromPayload", ("category",), [None, "Nope", "<Toys/>", 7, HUGE]),
    *feed_cases("submitProductFromPayload", ("descriptionData", "msrp"), [{"value": "5.001", "currency": "USD"}],
                field="descriptionData.msrp.value"),
    # images: the XSD's image types, absolute http(s) URLs, no location on Delete
    *feed_cases("changeProductImage", ("imageType",), ["Mian", "PM01", "main", "Main</ImageType><ImageType>PT1"]),
    *feed_cases("changeProductImage", ("imageLocation",), ["images/a.jpg", "http://x.com/a b.jpg",
                                                           "javascript:alert(1)", "https://x.com/\"><x/>",
                                                           "ftp://x.com/a.jpg", "http://x.com/%zz.jpg", None]),
    # relationships
    *feed_cases("establishProductRelationships", ("relation", 0, "type"), ["Cousin", "variation", ""]),
    *feed_cases("establishProductRelationships", ("relation",), [[], {"sku": "C-1", "type": "Variation"}, None]),
    *feed_cases("establishProductRelationships", ("relation", 0, "quantity"), [2]),
    *feed_cases("establishProductRelationships", ("parentSKU",), ["P" * 41, "P\x00"]),
    # order acknowledgements: order ids of the 3-7-7 form, item codes of 14 digits
    *feed_cases("acknowledgeOrder", ("amazonOrderID",), ["12-34", "123-456", "<x/>", "&xxe;",
                                                         ORDER_ID + "</AmazonOrderID><StatusCode>Failure",
                                                         ORDER_ID + "\n", HUGE]),
    *feed_cases("acknowledgeOrder", ("statusCode",), ["Maybe", "success", None]),
    *feed_cases("acknowledgeOrder", ("merchantOrderID",), ["m" * 51, "ERP\x02"]),
    *feed_cases("acknowledgeOrder", ("operationType",), ["Update"]),
    *feed_cases("acknowledgeOrder", ("item",), [[{"amazonOrderItemCode": "1234567890123"}],
                                                [{"amazonOrderItemCode": "123456789012345"}]],
                field="item[0].amazonOrderItemCode"),
    *feed_cases("acknowledgeOrder", ("item",), [[{"amazonOrderItemCode": "12345678901234", "cancelReason": "Bored"}]],
                field="item[0].cancelReason"),
    # shipments
    *feed_cases("confirmShipment", ("fulfillmentDate",), [None, "2024-01-01", "2024-01-01T25:00:00",
                                                          "2024-01-01T10:00:00+15:00", "yesterday", 1704067200]),
    *feed_cases("confirmShipment", ("item", 0, "quantity"), [0, -1, 1.5, "two"]),
    *feed_cases("confirmShipment", ("item", 0, "amazonOrderItemCode"), ["123", "1234567890123a"]),
    *feed_cases("confirmShipment", ("fulfillmentData", "carrierName"), ["Mine"]),  # with carrierCode: both of a choice
    *feed_cases("confirmShipment", ("fulfillmentData", "shipperTrackingNumber"), ["T" * 51, "1Z\x1b"]),
    *feed_cases("confirmShipment", ("merchantOrderID",), ["M-1"]),  # with amazonOrderID: both of a choice
    *feed_cases("confirmShipment", ("merchantFulfillmentID",), [0, "x"]),
]

# -- classes found by an independent run of malformed inputs (issue 8 §10) ----------------------------
MANIFEST = json.loads((Path(__file__).resolve().parents[2] / "component.json").read_text(encoding="utf-8"))
STEP_FIELD_VIEWS = {name: {field: spec["viewClass"] for field, spec in entry.get("fields", {}).items()}
                    for section in ("triggers", "actions") for name, entry in MANIFEST[section].items()}
REQUIRED_STEP_FIELDS = {name: [field for field, spec in entry.get("fields", {}).items() if spec.get("required")]
                        for section in ("triggers", "actions") for name, entry in MANIFEST[section].items()}

# A step field of the wrong type (a list where a select gives text, ...): an error naming it, never a TypeError.
_WRONG_TYPES = {
    "SelectView": [["Update"], {"Update": True}, True, 7, ["Upsert", "Delete"], "Update\x00"],
    "MultiSelectView": [[["Shipped"]], {"x": 1}, True, 7, [None], ["A\x00"]],
    "TextFieldView": [["2024-01-01T00:00:00Z"], {"value": 25}, True, [25], "25\x00"],
}
STEP_FIELD_TYPE_CASES = [case(function, field=field, **{field: value})
                         for function, views in STEP_FIELD_VIEWS.items() for field, view in views.items()
                         for value in _WRONG_TYPES[view]]

# A required step field left out (absent, empty, blank): an error naming it, never a default that writes.
MISSING_STEP_FIELD_CASES = [case(function, field=field, **{field: value})
                            for function, fields in REQUIRED_STEP_FIELDS.items() for field in fields
                            for value in (None, "", "   ", [])]

# One rule for every time field: control characters (NUL, newline, tab, CR) anywhere are refused, never dropped.
_TIME = "2024-01-31T12:00:00Z"
_BAD_TIMES = [_TIME + "\x00", _TIME + "\n", "\t" + _TIME, _TIME + "\r", "2024-01-31\x0bT12:00:00Z", _TIME + "\x7f"]
_BAD_DATES = [d.replace(_TIME, "2024-01-31") for d in _BAD_TIMES if _TIME in d] + ["2024-01-31\n"]
_SALE = {"startDate": "2030-01-01T00:00:00Z", "endDate": "2030-02-01T00:00:00Z",
         "salePrice": {"value": "1.00", "currency": "USD"}}
TIME_FIELDS = [  # (function, path in the item or None for a step field, name, bad values, item)
    ("listOrders", None, "startTime", _BAD_TIMES, None),
    ("listOrders", None, "endTime", _BAD_TIMES, None),
    ("submitInventory", ("restockDate",), "restockDate", _BAD_DATES, None),
    ("confirmShipment", ("fulfillmentDate",), "fulfillmentDate", _BAD_TIMES, None),
    ("changeProductPrice", ("sale", "startDate"), "sale.startDate", _BAD_TIMES,
     dict(GOOD_ITEM["changeProductPrice"], sale=_SALE)),
    ("changeProductPrice", ("sale", "endDate"), "sale.endDate", _BAD_TIMES,
     dict(GOOD_ITEM["changeProductPrice"], sale=_SALE)),
]
TIME_CASES = []
for _function, _path, _name, _values, _item in TIME_FIELDS:
    if _path is None:
        TIME_CASES += [case(_function, field=_name, says="control character", **{_name: v}) for v in _values]
    else:
        TIME_CASES += feed_cases(_function, _path, _values, item=_item, says="control character")

# Enumerations are matched exactly, case included, everywhere; a near miss names the nearest known value.
CASE_CASES = [
    case("listOrders", field="orderStatus", says="'Shipped'", orderStatus=["shipped"]),
    case("listOrders", field="orderStatus", says="'Unshipped'", orderStatus="UNSHIPPED"),
    case("listOrders", field="emitBehavior", says="'emitPage'", emitBehavior="EmitPage"),
    case("listOrders", field="marketplaceIds", says="'ATVPDKIKX0DER'", marketplaceIds=["atvpdkikx0der"]),
    case("submitProduct", field="category", says="'Health'", category="HEALTH"),
    case("submitProduct", field="category", says="'Toys & Games'", category="toys & games"),
    case("submitProduct", field="operation", says="'Upsert'", operation="upsert"),
    case("submitProductFromPayload", field="operation", says="'PartialUpdate'", operation="partialupdate"),
    *[case(f, field="operation", says="'Delete'", operation="delete")
      for f in ("submitInventory", "changeProductPrice", "changeProductImage", "establishProductRelationships")],
    *feed_cases("submitProductFromPayload", ("category",), ["TOYS", "toys & games"], says="did you mean"),
    *feed_cases("submitInventory", ("operationType",), ["delete", "UPDATE"], says="did you mean"),
    *feed_cases("changeProductPrice", ("standardPrice", "currency"), ["Usd", "eur"], says="did you mean"),
    *feed_cases("changeProductImage", ("imageType",), ["MAIN", "pt1"], says="did you mean"),
    *feed_cases("acknowledgeOrder", ("statusCode",), ["SUCCESS", "failure"], says="did you mean"),
    *feed_cases("establishProductRelationships", ("relation", 0, "type"), ["VARIATION", "accessory"],
                says="did you mean"),
    *feed_cases("confirmShipment", ("fulfillmentData", "carrierCode"), ["ups", "Fedex"], says="did you mean"),
    # the category's key under productData is its element in lower camel case: "Health" is told "health"
    *feed_cases("submitProduct", ("productData",), [{"Health": {"productType": {"healthMisc": {}}}},
                                                    {"HEALTH": {"productType": {"healthMisc": {}}}}],
                field="productData.Health", says="takes the key health"),
    *feed_cases("submitProductFromPayload", ("productData",), [{"Health": {"productType": {"healthMisc": {}}}}],
                field="productData.Health", says="takes the key health"),
]
# the HEALTH key is named as itself
for _case in CASE_CASES:
    if isinstance(_case["body"], dict) and "HEALTH" in json.dumps(_case["body"]):
        _case["field"] = _case["field"].replace("productData.Health", "productData.HEALTH")

# Unknown item fields stay refused in the feed actions (a typo would silently drop data), naming the nearest.
TYPO_CASES = [
    *feed_cases("submitInventory", ("quantitiy",), [1, 2], field="quantitiy", says="did you mean 'quantity'"),
    *feed_cases("changeProductPrice", ("standardPrise",), [{"value": "1", "currency": "USD"}],
                says="did you mean 'standardPrice'"),
    *feed_cases("changeProductImage", ("imageLocaton",), ["https://img.example.com/b.jpg"],
                says="did you mean 'imageLocation'"),
    *feed_cases("establishProductRelationships", ("parentSku",), ["P-2"], says="did you mean 'parentSKU'"),
    *feed_cases("acknowledgeOrder", ("statusCod",), ["Success"], says="did you mean 'statusCode'"),
    *feed_cases("confirmShipment", ("fulfilmentDate",), [_TIME], says="did you mean 'fulfillmentDate'"),
    *feed_cases("submitProduct", ("descriptionDta",), [{"title": "x"}], says="did you mean 'descriptionData'"),
    *feed_cases("submitProductFromPayload", ("descriptionDta",), [{"title": "x"}],
                says="did you mean 'descriptionData'"),
]

NEW_CLASSES = STEP_FIELD_TYPE_CASES + MISSING_STEP_FIELD_CASES + TIME_CASES + CASE_CASES + TYPO_CASES
# Every case but those about MWS-only fields, with SP-API credentials; plus the SP-API credential cases.
SPAPI_CORPUS = [c for c in CREDENTIAL_CASES if c["field"] not in MWS_ONLY_FIELDS] + SPAPI_CREDENTIAL_CASES
CORPUS = CREDENTIAL_CASES + TRIGGER_CASES + ORDER_ACTION_CASES + FEED_STATUS_CASES + FEED_CASES + NEW_CLASSES
SPAPI_CORPUS += [c for c in CORPUS if c not in CREDENTIAL_CASES]
# Submit Product takes another input on SP-API (productType and attributes in Amazon's shape, not the MWS
# Product fields): its refusals there are in tests/integration/component/test_spapi_listings_items.py.
SPAPI_PRODUCT_FUNCTIONS = ("submitProduct", "submitProductFromPayload")
SPAPI_CORPUS = [c for c in SPAPI_CORPUS if c["function"] not in SPAPI_PRODUCT_FUNCTIONS]

# SP-API only: submitMode, Submit Product through product types (cases that need no definition fetched),
# and the MWS fields and values that have no listings counterpart.
SHIRT_ITEM = {"sku": "SHIRT-1", "attributes": {"item_name": [{"value": "Linen shirt"}]}}
BY_TYPE = {"category": None, "productType": "SHIRT"}


def _first_bad(function, bad, good=None):
    """A batch whose first item is bad (so no product type definition is fetched before it is refused)."""
    return {"items": [bad] + [good or GOOD_ITEM[function]] * 2}


SPAPI_ONLY_CASES = [
    case("submitInventory", field="submitMode", submitMode="batch"),
    case("changeProductPrice", field="submitMode", says="'perItem'", submitMode="peritem"),
    case("establishProductRelationships", field="submitMode", submitMode=["feed"]),
    case("submitProduct", {"items": [SHIRT_ITEM] * 3}, "productType", category=None),
    case("submitProduct", {"items": [SHIRT_ITEM] * 3}, "productType", category=None, productType=7),
    case("submitProduct", {"items": [SHIRT_ITEM] * 3}, "requirements", requirements="ALL", **BY_TYPE),
    case("submitProduct", {"items": [{**SHIRT_ITEM, "operationType": "Delete"}]}, "body.items[0].attributes",
         **BY_TYPE),
    case("submitProduct", _first_bad("submitProduct", {"sku": "NEW-1", "descriptionData": {"title": "T"}},
                                     SHIRT_ITEM), "body.items[0].descriptionData", "attributes", **BY_TYPE),
    case("submitProduct", _first_bad("submitProduct", {"sku": "", "attributes": SHIRT_ITEM["attributes"]},
                                     SHIRT_ITEM), "body.items[0].sku", **BY_TYPE),
    case("submitProductFromPayload", _first_bad("submitProductFromPayload", SHIRT_ITEM,
                                                {**SHIRT_ITEM, "productType": "SHIRT"}), "body.items[0].productType"),
    case("submitProductFromPayload", _first_bad("submitProductFromPayload", {**SHIRT_ITEM, "productType": "SHIRT",
                                                                             "attributes": []}),
         "body.items[0].attributes"),
    *feed_cases("submitInventory", ("quantity",), [None], says="required on SP-API"),
    *feed_cases("submitInventory", ("available",), ["true"], item={"sku": "SKU-1", "available": "true"},
                says="no SP-API counterpart"),
    *feed_cases("submitInventory", ("lookup",), ["FulfillmentNetwork"], item={"sku": "SKU-1", "lookup": "x"},
                says="no SP-API counterpart"),
    *feed_cases("changeProductImage", ("imageType",), ["BKLB"], says="no listings image attribute"),
    *feed_cases("establishProductRelationships", ("relation", 0, "type"), ["Accessory", "DisplaySet"],
                says="only variation"),
    *feed_cases("changeProductPrice", ("depositAmount",), [{"value": "5.00", "currency": "USD"}],
                says="no purchasable_offer counterpart"),
]


def _as_refused_on_spapi(c):
    """An MWS case that SP-API refuses for another reason: inventory with both `available` and `quantity`
    is one field too many on MWS (a choice), and `available` has no counterpart on SP-API."""
    if c["function"] == "submitInventory" and c["field"].endswith(".quantity") and c["body"] != good_body(c["function"]):
        bad = c["body"]["items"][INDEX] if "items" in c["body"] else c["body"]
        if "available" in bad:
            return {**c, "field": c["field"][:-len("quantity")] + "available", "says": "no SP-API counterpart"}
    return c


SPAPI_CORPUS = [_as_refused_on_spapi(c) for c in SPAPI_CORPUS] + SPAPI_ONLY_CASES
