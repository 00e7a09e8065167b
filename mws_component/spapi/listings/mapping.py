"""The listings actions' MWS-shaped items as Listings Items attributes, table-driven.

Each action has one table (`TABLES[kind]`): a row per field of the MWS item (the same inputs as
on MWS, schemas/feeds/<kind>.in.json) saying where its value goes in the listings attribute, or
why it is refused (no SP-API counterpart). Nothing is dropped silently: a field with no row is
refused too, and a test checks that every field of each MWS in-schema has a row.

Sources: JSON Listings Feed schema v2 (the message shapes, what each operationType requires and
forbids); Listings Items API 2021-08-01 model (put and patch bodies); SP-API: Submit listings
data, Product type definitions (the attribute shapes of Amazon's PRODUCT schema:
fulfillment_availability, purchasable_offer, *_product_image_locator,
child_parent_sku_relationship, parentage_level); Amazon's pricing sample (a replace of
purchasable_offer with productType PRODUCT overwrites the whole attribute).

A patch kind's item (inventory, price, image, relationship) is first checked by the MWS rules
(mws_component.feeds.validate_item: types, lengths, enumerations) and may carry two SP-API-only
keys: `productType` (default PRODUCT) and `marketplaceId` (default the credentials' marketplace).
A product item is {sku, operationType?, productType?, requirements?, attributes} with the
attributes in Amazon's shape, checked against the product type's definition when one is given.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Callable

from ...errors import InputError, shown
from ...feeds import validate_item

PATCH_PRODUCT_TYPE = "PRODUCT"
REQUIREMENTS = ("LISTING", "LISTING_PRODUCT_ONLY", "LISTING_OFFER_ONLY")
# SP-API-only keys a patch kind's item may carry besides its MWS fields
SP_ONLY_KEYS = ("productType", "marketplaceId")
OPERATION_KEY = "operationType"

# marketplace -> (currency, default language_tag): SP-API: Marketplace IDs; the language is the
# marketplace's default locale (the one Amazon uses when issueLocale is not given).
MARKETPLACE_DEFAULTS = {
    "A2EUQ1WTGCTBG2": ("CAD", "en_CA"), "ATVPDKIKX0DER": ("USD", "en_US"), "A1AM78C64UM0Y8": ("MXN", "es_MX"),
    "A2Q3Y263D00KWC": ("BRL", "pt_BR"), "A28R8C7NBKEWEA": ("EUR", "en_IE"), "A1RKKUPIHCS9HS": ("EUR", "es_ES"),
    "A1F83G8C2ARO7P": ("GBP", "en_GB"), "A13V1IB3VIYZZH": ("EUR", "fr_FR"), "AMEN7PMS3EDWL": ("EUR", "fr_BE"),
    "A1805IZSGTT6HS": ("EUR", "nl_NL"), "A1PA6795UKMFR9": ("EUR", "de_DE"), "APJ6JRA9NG5V4": ("EUR", "it_IT"),
    "A2NODRKZP88ZB9": ("SEK", "sv_SE"), "AE08WJ6YKNBMC": ("ZAR", "en_ZA"), "A1C3SOZRARQ6R3": ("PLN", "pl_PL"),
    "ARBP9OOSHTCHU": ("EGP", "ar_EG"), "A33AVAJ2PDY3EV": ("TRY", "tr_TR"), "A17E79C6D8DWNP": ("SAR", "ar_SA"),
    "A2VIGQ35RCS4UG": ("AED", "ar_AE"), "A21TJRUUN4KGV": ("INR", "en_IN"), "A19VAU5U5O7RUS": ("SGD", "en_SG"),
    "A39IBJ37TRP1C6": ("AUD", "en_AU"), "A1VC38T7YXB528": ("JPY", "ja_JP"),
}


@dataclass(frozen=True)
class ListingsContext:
    """What every message takes from the credentials and the step."""
    marketplace_id: str
    language_tag: str | None = None     # default: the marketplace's
    currency: str | None = None         # for MWS's currency DEFAULT; default: the marketplace's

    @property
    def default_language_tag(self):
        return self.language_tag or MARKETPLACE_DEFAULTS.get(self.marketplace_id, (None, "en_US"))[1]

    @property
    def default_currency(self):
        return self.currency or MARKETPLACE_DEFAULTS.get(self.marketplace_id, (None, None))[0]


@dataclass
class ListingsMessage:
    """One listings submission: a JSON_LISTINGS_FEED message without its messageId, or one call."""
    sku: str
    operation_type: str                 # UPDATE | PARTIAL_UPDATE | PATCH | DELETE
    product_type: str | None = None
    requirements: str | None = None
    attributes: dict | None = None
    patches: list | None = None
    item: int = 0                       # the index of the item it comes from

    def feed_message(self, message_id):
        """The message as the listings-feed schema has it (DELETE carries only sku and operationType)."""
        message = {"messageId": message_id, "sku": self.sku, "operationType": self.operation_type}
        if self.operation_type != "DELETE":
            message["productType"] = self.product_type
        if self.operation_type == "UPDATE" and self.requirements:
            message["requirements"] = self.requirements
        if self.operation_type in ("UPDATE", "PARTIAL_UPDATE"):
            message["attributes"] = self.attributes
        elif self.operation_type == "PATCH":
            message["patches"] = self.patches
        return message

    def listings_call(self):
        """(Listings Items operation, JSON body or None) for perItem mode. PARTIAL_UPDATE is a patch
        `replace` of each attribute given (the listings-feed schema: "equivalent to using PATCH with
        the replace op")."""
        if self.operation_type == "UPDATE":
            body = {"productType": self.product_type, "attributes": self.attributes}
            if self.requirements:
                body["requirements"] = self.requirements
            return "putListingsItem", body
        if self.operation_type == "PARTIAL_UPDATE":
            return "patchListingsItem", {"productType": self.product_type, "patches": [
                {"op": "replace", "path": f"/attributes/{name}", "value": value}
                for name, value in self.attributes.items()]}
        if self.operation_type == "PATCH":
            return "patchListingsItem", {"productType": self.product_type, "patches": self.patches}
        return "deleteListingsItem", None


# -- the tables -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    """One field of the MWS item. `target` is where its value goes (an attribute's property, or for a
    price an (audience, property) pair); None means refused, `why` says why."""
    field: str                          # dotted path in the MWS item: "sale.salePrice"
    target: object = None
    convert: Callable | None = None     # MWS value (as validate_item normalised it) -> listings value
    why: str = ""
    values: dict | None = None          # for enumerated fields: MWS value -> listings value (others refused)


@dataclass(frozen=True)
class Table:
    kind: str                           # the MWS feed kind: product, inventory, price, image, relationship
    attribute: str | None               # the listings attribute it writes (image: chosen by imageType)
    operations: dict                    # MWS OperationType -> (listings operationType, patch op) or a refusal (str)
    rows: tuple
    carries_marketplace_id: bool = True     # False where Amazon's PRODUCT schema has no marketplace_id
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "_index", {row.field: row for row in self.rows})

    def row(self, name):
        return self._index.get(name)


def _integer(text):
    return int(text)


def _number(text):
    """An MWS amount (decimal text) as a JSON number: prices inside listings attributes are numbers."""
    try:
        number = Decimal(str(text))
    except InvalidOperation:
        raise ValueError(f"{shown(text)} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"{shown(text)} is not a number")
    return int(number) if number == number.to_integral_value() else float(number)


def _schedule(text):
    return [{"schedule": [{"value_with_tax": _number(text)}]}]


def _same(value):
    return value


_NO_DELETE = ("{kind} Delete has no Listings counterpart that keeps the listing: {hint}")

INVENTORY = Table(
    "inventory", "fulfillment_availability",
    {"Update": ("PATCH", "replace"),
     "Delete": _NO_DELETE.format(kind="an inventory", hint="give quantity 0 to stop selling, or delete the "
                                 "listing with Submit Product (Delete)")},
    (
        Row("sku"),
        Row("fulfillmentCenterID", "fulfillment_channel_code", _same),   # absent: DEFAULT (seller-fulfilled)
        Row("quantity", "quantity", _integer),
        Row("fulfillmentLatency", "lead_time_to_ship_max_days", _integer),
        Row("restockDate", "restock_date", _same),
        Row("available", why="has no SP-API counterpart: fulfillment_availability takes a quantity; give quantity"),
        Row("lookup", why="has no SP-API counterpart: quantities of Amazon's fulfillment network are Amazon's "
                          "own and are not sent by the seller"),
        Row("switchFulfillmentTo", why="has no SP-API counterpart: give fulfillmentCenterID instead (DEFAULT for "
                                       "seller-fulfilled, an Amazon channel such as AMAZON_NA for Amazon)"),
    ),
    # Amazon's PRODUCT schema: fulfillment_availability's entries have no marketplace_id
    carries_marketplace_id=False,
    extra={"defaults": {"fulfillment_channel_code": "DEFAULT"}, "required": ("quantity",)},
)

_NO_PRICE = "has no purchasable_offer counterpart"
PRICE = Table(
    "price", "purchasable_offer",
    {"Update": ("PATCH", "replace"),
     "Delete": _NO_DELETE.format(kind="a price", hint="send the new price with Update, or delete the listing "
                                 "with Submit Product (Delete)")},
    (
        Row("sku"),
        Row("standardPrice", ("ALL", "our_price"), _schedule),
        Row("businessPrice", ("B2B", "our_price"), _schedule),
        Row("quantityPriceType", ("B2B", "quantity_discount_plan.discount_type"), _same),
        Row("quantityPrice", ("B2B", "quantity_discount_plan.levels"), _same),
        Row("sale", ("ALL", "discounted_price"), _same),
        Row("minimumSellerAllowedPrice", ("ALL", "minimum_seller_allowed_price"), _schedule),
        Row("maximumSellerAllowedPrice", ("ALL", "maximum_seller_allowed_price"), _schedule),
        # MAP: purchasable_offer.map_price (SP-API: Product type definitions, purchasable_offer)
        Row("map", ("ALL", "map_price"), _schedule),
        Row("standardPricePoints", why=f"{_NO_PRICE} (Amazon points are not set through listings)"),
        Row("depositAmount", why=_NO_PRICE),
        Row("compareAt", why=f"{_NO_PRICE} (a compare-at price is not part of the offer)"),
        Row("previous", why=f"{_NO_PRICE} (Amazon keeps the price history itself)"),
        *(Row(f"rental_{n}", why=f"{_NO_PRICE} (rentals are not listed through the Listings API)")
          for n in range(10)),
        Row("costPerClickBidPrice", why=f"{_NO_PRICE} (advertising bids belong to the Advertising API)"),
        Row("makeAnOfferEligibility", why=_NO_PRICE),
        Row("minimumAcceptPercentage", why=_NO_PRICE),
        Row("maximumRejectPercentage", why=_NO_PRICE),
        # nested fields with no counterpart
        Row("sale.salePricePoints", why=f"{_NO_PRICE} (Amazon points are not set through listings)"),
    ),
)

IMAGE_ATTRIBUTES = {"Main": "main_product_image_locator", "Swatch": "swatch_product_image_locator",
                    **{f"PT{n}": f"other_product_image_locator_{n}" for n in range(1, 9)}}
IMAGE = Table(
    "image", None,
    {"Update": ("PATCH", "replace"), "Delete": ("PATCH", "delete")},
    (
        Row("sku"),
        Row("imageType", "attribute", _same, values=IMAGE_ATTRIBUTES,
            why="has no listings image attribute; the image types are Main, Swatch and PT1 to PT8"),
        Row("imageLocation", "media_location", _same),
    ),
)

RELATIONSHIP = Table(
    "relationship", "child_parent_sku_relationship",
    {"Update": ("PATCH", "replace"), "Delete": ("PATCH", "delete")},
    (
        Row("parentSKU", "parent_sku", _same),
        Row("relation"),
        Row("relation.sku", "sku", _same),      # each child SKU gets its own message
        Row("relation.type", "child_relationship_type", _same, values={"Variation": "variation"},
            why="has no SP-API counterpart: child_parent_sku_relationship takes only variation relationships"),
    ),
    extra={"parentage_level": "child"},
)

PRODUCT = Table(
    "product", None,
    {"Update": ("UPDATE", None), "PartialUpdate": ("PARTIAL_UPDATE", None), "Delete": ("DELETE", None)},
    (
        Row("sku", "sku", _same),
        Row("productType", "productType", _same),
        Row("requirements", "requirements", _same, values={r: r for r in REQUIREMENTS}),
        Row("attributes", "attributes", _same),
    ),
    extra={"other_fields": "is an MWS product field; on SP-API a product is given as `attributes` in Amazon's "
                           "shape (the product type's schema), because Amazon's XSD categories have no 1:1 "
                           "product type"},
)

TABLES = {table.kind: table for table in (PRODUCT, INVENTORY, PRICE, IMAGE, RELATIONSHIP)}


# -- the mapper ------------------------------------------------------------------------------

def _refuse(path, why):
    raise InputError(f"{path}: {why}", field=path)


def _listings_operation(table, operation, path):
    found = table.operations.get(operation)
    if found is None:
        _refuse(f"{path}.{OPERATION_KEY}", f"{shown(operation)} is not one of {', '.join(table.operations)}")
    if isinstance(found, str):
        _refuse(f"{path}.{OPERATION_KEY}", found)
    return found


def _check_rows(table, payload, path):
    """Refuse every given field whose row refuses it (or that has no row)."""
    for name, value in payload.items():
        if name == OPERATION_KEY:
            continue
        row = table.row(name)
        if row is None or (row.target is None and row.why):
            _refuse(f"{path}.{name}", row.why if row else "has no SP-API counterpart")
        if isinstance(value, dict):
            for sub in value:
                nested = table.row(f"{name}.{sub}")
                if nested is not None and nested.target is None:
                    _refuse(f"{path}.{name}.{sub}", nested.why)


def _refused_before_mws_rules(table, item, path):
    """The SP-API refusals the MWS rules would word for MWS: a field with no counterpart given (say,
    inventory `available`), then a field SP-API requires that is missing (inventory `quantity`: MWS takes
    one of available, quantity and lookup, SP-API only quantity)."""
    for name in item:
        row = table.row(name)
        if row is not None and row.target is None and row.why and item[name] is not None:
            _refuse(f"{path}.{name}", row.why)
    operation = item.get(OPERATION_KEY) or "Update"
    for name in table.extra.get("required", ()):
        if item.get(name) is None and not isinstance(table.operations.get(operation), str):
            _refuse(f"{path}.{name}", "is required on SP-API (fulfillment_availability needs a quantity)")


def _split_sp_keys(item, path):
    """(MWS item, productType, marketplaceId): the SP-API-only keys taken out before the MWS check."""
    if type(item) is not dict:
        _refuse(path, f"{shown(item)} is not an object")
    extras = {k: item[k] for k in SP_ONLY_KEYS if item.get(k) is not None}
    for key, value in extras.items():
        if type(value) is not str or not value.strip():
            _refuse(f"{path}.{key}", f"{shown(value)} is not a non-empty text")
    return {k: v for k, v in item.items() if k not in SP_ONLY_KEYS}, extras.get("productType"), extras.get(
        "marketplaceId")


def map_item(kind, item, index, context, *, operation_type=None, product_type=None, requirements=None,
             definition=None):
    """The ListingsMessage list for one MWS-shaped item (a relationship item gives one per child SKU).

    `operation_type` is the step's MWS OperationType (the kind's default if None; an item may carry
    its own); `product_type` and `requirements` the step's (Submit Product); `definition` an optional
    product_types.Definition the attributes are checked against (errors name items[i].attributes...).
    Raises InputError naming items[index].<field>."""
    table = TABLES.get(kind)
    if table is None:
        raise InputError(f"no listings mapping for feed kind {shown(kind)}; known: {', '.join(TABLES)}",
                         field="kind")
    path = f"items[{index}]"
    if kind == "product":
        return [_product(table, item, path, index, context, operation_type, product_type, requirements,
                         definition)]
    mws_item, item_type, marketplace_id = _split_sp_keys(item, path)
    _refused_before_mws_rules(table, mws_item, path)
    payload = validate_item(kind, mws_item, index, operation_type)
    _check_rows(table, payload, path)
    op_type, patch_op = _listings_operation(table, payload.get(OPERATION_KEY, "Update"), path)
    marketplace_id = marketplace_id or context.marketplace_id
    builder = _BUILDERS[kind]
    messages = []
    for sku, patches in builder(table, payload, path, patch_op, marketplace_id, context):
        message = ListingsMessage(sku, op_type, item_type or product_type or PATCH_PRODUCT_TYPE,
                                  patches=patches, item=index)
        if definition is not None:
            for patch in patches:
                if patch["op"] != "delete":
                    definition.check({patch["path"].rsplit("/", 1)[1]: patch["value"]}, path, partial=True)
        messages.append(message)
    return messages


def map_items(kind, items, context, **options):
    """Every item's messages, in order (a generator: a bad item raises when it is reached)."""
    for index, item in enumerate(items):
        yield from map_item(kind, item, index, context, **options)


def _patch(op, attribute, value):
    return {"op": op, "path": f"/attributes/{attribute}", "value": value}


def _inventory(table, payload, path, op, marketplace_id, context):
    value = dict(table.extra["defaults"])
    for name, given in payload.items():
        row = table.row(name)
        if row is not None and row.target:
            value[row.target] = row.convert(given)
    for name in table.extra["required"]:
        if name not in payload:
            _refuse(f"{path}.{name}", "is required on SP-API (fulfillment_availability needs a quantity)")
    if table.carries_marketplace_id:
        value.setdefault("marketplace_id", marketplace_id)
    yield payload["sku"], [_patch(op, table.attribute, [value])]


def _image(table, payload, path, op, marketplace_id, context):
    row = table.row("imageType")
    attribute = row.values.get(payload["imageType"])
    if attribute is None:
        _refuse(f"{path}.imageType", f"{shown(payload['imageType'])} {row.why}")
    value = {"marketplace_id": marketplace_id}
    if op != "delete":
        value = {"media_location": payload["imageLocation"], **value}
    yield payload["sku"], [_patch(op, attribute, [value])]


def _relationship(table, payload, path, op, marketplace_id, context):
    type_row = table.row("relation.type")
    parentage = [{"value": table.extra["parentage_level"], "marketplace_id": marketplace_id}]
    for number, relation in enumerate(payload["relation"]):
        kind = type_row.values.get(relation["type"])
        if kind is None:
            _refuse(f"{path}.relation[{number}].type", f"{shown(relation['type'])} {type_row.why}")
        link = [{"child_relationship_type": kind, "parent_sku": payload["parentSKU"],
                 "marketplace_id": marketplace_id}]
        yield relation["sku"], [_patch(op, table.attribute, link), _patch(op, "parentage_level", parentage)]


def _price(table, payload, path, op, marketplace_id, context):
    offers = {}         # audience -> offer

    def currency_of(amount, field):
        currency = amount.get("currency")
        if currency in (None, "DEFAULT"):
            currency = context.default_currency
            if currency is None:
                _refuse(f"{path}.{field}.currency", f"DEFAULT: no currency is known for marketplace "
                                                    f"{marketplace_id}; name the currency")
        return currency

    def offer(audience, currency, field):
        found = offers.get(audience)
        if found is None:
            found = offers[audience] = {"marketplace_id": marketplace_id, "currency": currency,
                                        "audience": audience}
        elif currency is not None and found["currency"] != currency:
            _refuse(f"{path}.{field}.currency", f"{currency} differs from the offer's currency "
                                                f"{found['currency']}; one offer has one currency")
        return found

    def amount(field):
        given = payload[field]
        if given.get("zero") in ("true", True):
            _refuse(f"{path}.{field}.zero", "a zero price has no SP-API counterpart: value_with_tax must be given")
        return given

    standard = payload.get("standardPrice")
    base_currency = currency_of(amount("standardPrice"), "standardPrice") if standard else context.default_currency
    all_fields = [row.field for row in table.rows
                  if row.field in payload and isinstance(row.target, tuple) and row.target[0] == "ALL"]
    if all_fields and standard is None:
        _refuse(f"{path}.{all_fields[0]}", "needs standardPrice: a replace of purchasable_offer overwrites the "
                                           "whole offer, so its our_price must be given with it")
    if standard is None and "businessPrice" not in payload:
        _refuse(f"{path}.standardPrice", "give standardPrice or businessPrice: the price feed's Update sets "
                                         "purchasable_offer")
    for name in ("standardPrice", "minimumSellerAllowedPrice", "maximumSellerAllowedPrice", "map"):
        if name in payload:
            row = table.row(name)
            try:
                value = row.convert(amount(name)["value"])
            except (ValueError, TypeError) as error:
                _refuse(f"{path}.{name}.value", str(error))
            offer("ALL", currency_of(payload[name], name), name)[row.target[1]] = value
    if "sale" in payload:
        sale = payload["sale"]
        price = sale["salePrice"]
        if price.get("zero") in ("true", True):
            _refuse(f"{path}.sale.salePrice.zero", "a zero price has no SP-API counterpart")
        offer("ALL", currency_of(price, "sale.salePrice"), "sale.salePrice")["discounted_price"] = [
            {"schedule": [{"value_with_tax": _number(price["value"]), "start_at": sale["startDate"],
                           "end_at": sale["endDate"]}]}]
    if "businessPrice" in payload:
        if base_currency is None:
            _refuse(f"{path}.businessPrice", f"no currency is known for marketplace {marketplace_id}; "
                                             "give standardPrice with its currency")
        offer("B2B", base_currency, "businessPrice")["our_price"] = _schedule(payload["businessPrice"])
    if "quantityPrice" in payload or "quantityPriceType" in payload:
        if "businessPrice" not in payload:
            _refuse(f"{path}.quantityPrice", "needs businessPrice: quantity discounts belong to the B2B offer")
        if "quantityPriceType" not in payload or "quantityPrice" not in payload:
            missing = "quantityPriceType" if "quantityPriceType" not in payload else "quantityPrice"
            _refuse(f"{path}.{missing}", "quantityPrice and quantityPriceType go together")
        tiers = payload["quantityPrice"]
        levels = []
        for n in range(1, 6):
            price, bound = tiers.get(f"quantityPrice{n}"), tiers.get(f"quantityLowerBound{n}")
            if (price is None) != (bound is None):
                missing = f"quantityLowerBound{n}" if bound is None else f"quantityPrice{n}"
                _refuse(f"{path}.quantityPrice.{missing}", f"quantity level {n} needs both its price and its "
                                                           "lower bound")
            if price is not None:
                levels.append({"lower_bound": int(bound), "value": _number(price)})
        if not levels:
            _refuse(f"{path}.quantityPrice", "give at least one quantity level (quantityPrice1 with "
                                             "quantityLowerBound1)")
        offers["B2B"]["quantity_discount_plan"] = [{"schedule": [
            {"discount_type": payload["quantityPriceType"], "levels": levels}]}]
    yield payload["sku"], [_patch(op, table.attribute, list(offers.values()))]


_BUILDERS = {"inventory": _inventory, "price": _price, "image": _image, "relationship": _relationship}


def _product(table, item, path, index, context, operation_type, product_type, requirements, definition):
    if type(item) is not dict:
        _refuse(path, f"{shown(item)} is not an object")
    for name in item:
        if name != OPERATION_KEY and table.row(name) is None and item[name] is not None:
            _refuse(f"{path}.{name}", table.extra["other_fields"])
    sku = item.get("sku")
    if type(sku) is not str or not sku.strip():
        _refuse(f"{path}.sku", "is required (a non-empty text)" if sku is None else f"{shown(sku)} is not a "
                                                                                     "non-empty text")
    op_type, _ = _listings_operation(table, item.get(OPERATION_KEY) or operation_type or "Update", path)
    if op_type == "DELETE":
        for name in ("attributes", "requirements"):
            if item.get(name) is not None:
                _refuse(f"{path}.{name}", "leave it out for Delete: a DELETE message carries only the SKU")
        return ListingsMessage(sku, "DELETE", item=index)
    chosen_type = item.get("productType") or product_type
    if chosen_type is None:
        _refuse(f"{path}.productType", "is required: choose the product type in the step or give it per item")
    if type(chosen_type) is not str or not chosen_type.strip():
        _refuse(f"{path}.productType", f"{shown(chosen_type)} is not a product type name")
    chosen_requirements = item.get("requirements") or requirements or "LISTING"
    if chosen_requirements not in REQUIREMENTS:
        _refuse(f"{path}.requirements", f"{shown(chosen_requirements)} is not one of {', '.join(REQUIREMENTS)}")
    if op_type == "PARTIAL_UPDATE" and item.get("requirements") not in (None, "LISTING"):
        _refuse(f"{path}.requirements", "leave it out for PartialUpdate: a PARTIAL_UPDATE message carries no "
                                        "requirements")
    attributes = item.get("attributes")
    if type(attributes) is not dict or not attributes:
        _refuse(f"{path}.attributes", "is required: the listing's attributes in Amazon's shape (attribute name "
                                      "-> list of values)" if attributes is None else
                f"{shown(attributes)} is not an object of attributes (at least one)")
    attributes = fill_defaults(attributes, f"{path}.attributes", context, definition)
    if definition is not None:
        definition.check(attributes, path, partial=op_type == "PARTIAL_UPDATE")
    return ListingsMessage(sku, op_type, chosen_type, chosen_requirements if op_type == "UPDATE" else None,
                           attributes=attributes, item=index)


# Attributes whose entries have no marketplace_id in Amazon's PRODUCT schema (used without a definition)
NO_MARKETPLACE_ID = frozenset({"fulfillment_availability"})


def fill_defaults(attributes, path, context, definition=None):
    """A copy of `attributes` in which each entry carries the credentials' marketplace_id and, where the
    definition's schema has a language_tag for it, the default language tag, unless it gives its own.
    Without a definition, marketplace_id is added except to NO_MARKETPLACE_ID and no language tag is."""
    out = {}
    for name, values in attributes.items():
        if type(values) is not list or not values:
            _refuse(f"{path}.{name}", f"{shown(values)} is not a list of values (Amazon's shape: "
                                      "[{\"value\": ..., \"marketplace_id\": ...}])")
        properties = definition.entry_properties(name) if definition is not None else None
        wants_market = "marketplace_id" in properties if properties is not None else name not in NO_MARKETPLACE_ID
        wants_language = properties is not None and "language_tag" in properties
        filled = []
        for number, value in enumerate(values):
            if type(value) is not dict:
                _refuse(f"{path}.{name}[{number}]", f"{shown(value)} is not an object")
            value = dict(value)
            if wants_market:
                value.setdefault("marketplace_id", context.marketplace_id)
            if wants_language:
                value.setdefault("language_tag", context.default_language_tag)
            filled.append(value)
        out[name] = filled
    return out


# -- what the step offers on SP-API ------------------------------------------------------------

def sp_in_schema(kind):
    """The in-schema of a patch kind's action on SP-API: the MWS one (schemas/feeds/<kind>.in.json) without
    the fields and values the table refuses, plus the SP-API-only productType and marketplaceId, so the
    mapping UI offers only what can be sent. (Submit Product's comes from the product type's definition:
    product_types.Definition.in_schema.)"""
    import copy

    from ... import schemas

    table = TABLES[kind]
    schema = copy.deepcopy(schemas.load(f"feeds/{kind}.in.json"))
    item = schema["properties"]["items"]["items"]
    properties = item["properties"]
    operations = [op for op, how in table.operations.items() if not isinstance(how, str)]
    properties[OPERATION_KEY]["enum"] = operations
    properties[OPERATION_KEY]["description"] = f"OperationType of this item's message; default {operations[0]}"
    for name in list(properties):
        row = table.row(name)
        if name != OPERATION_KEY and (row is None or (row.target is None and row.why)):
            del properties[name]
            continue
        nested = properties[name].get("properties") or properties[name].get("items", {}).get("properties") or {}
        for sub in list(nested):
            sub_row = table.row(f"{name}.{sub}")
            if sub_row is not None and sub_row.target is None:
                del nested[sub]
            elif sub_row is not None and sub_row.values and "enum" in nested[sub]:
                nested[sub]["enum"] = [v for v in nested[sub]["enum"] if v in sub_row.values]
        if row is not None and row.values and "enum" in properties[name]:
            properties[name]["enum"] = [v for v in properties[name]["enum"] if v in row.values]
    # a zero price (the amounts' `zero` flag) is refused: not offered either
    amounts = [properties.get(name, {}) for name in ("standardPrice", "minimumSellerAllowedPrice",
                                                     "maximumSellerAllowedPrice", "map")]
    amounts.append(properties.get("sale", {}).get("properties", {}).get("salePrice", {}))
    for amount in amounts:
        amount.get("properties", {}).pop("zero", None)
    properties["productType"] = {"type": "string", "title": "Product Type", "order": 0,
                                 "description": f"Amazon product type of the listing; default {PATCH_PRODUCT_TYPE}"}
    properties["marketplaceId"] = {"type": "string", "title": "Marketplace ID", "order": 0,
                                   "description": "default the credentials' marketplace"}
    if kind == "inventory":
        properties["quantity"]["required"] = True
        properties["quantity"].pop("description", None)
    return schema
