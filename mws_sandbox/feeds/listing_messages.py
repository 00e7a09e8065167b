"""Message handlers that change the catalogue: Product, Inventory, Price, ProductImage, Relationship.

Each handler checks every value of its message first (Product.xsd, Inventory.xsd,
Price.xsd, ProductImage.xsd, Relationship.xsd),
then whether the SKUs exist, and only then changes the catalogue, so a
failing message changes nothing. It returns the message's warnings.

OperationType (amzn-envelope.xsd): Update replaces, PartialUpdate changes only what is
given, Delete removes. Product Update replaces the product's attributes
(fields not given are erased), so like a new product it needs a Title.
"""

from . import values as v
from .catalogue import PRODUCT_ATTRIBUTES, new_product
from .results import (MISSING_ATTRIBUTES, NOTHING_TO_UPDATE, UNKNOWN_PARENT_SKU, UNKNOWN_SKU, FeedWarning,
                           MessageError)

# Enumerations of Amazon's feed XSDs (amzn-base.xsd and the message XSDs).
CURRENCIES = ("USD", "GBP", "EUR", "JPY", "CAD", "CNY", "INR", "MXN")
PRICE_CURRENCIES = ("USD", "GBP", "EUR", "JPY", "CAD", "CNY", "INR", "AUD", "BRL", "MXN", "DEFAULT")
STANDARD_PRODUCT_ID_TYPES = ("ISBN", "UPC", "EAN", "ASIN", "GTIN", "GCID", "PZN")
CONDITION_TYPES = ("New", "UsedLikeNew", "UsedVeryGood", "UsedGood", "UsedAcceptable", "CollectibleLikeNew",
                   "CollectibleVeryGood", "CollectibleGood", "CollectibleAcceptable", "Refurbished", "Club")
IMAGE_TYPES = ("Main", "Swatch", "BKLB", "PT1", "PT2", "PT3", "PT4", "PT5", "PT6", "PT7", "PT8", "Search",
               "MainOfferImage", "OfferImage1", "OfferImage2", "OfferImage3", "OfferImage4", "OfferImage5",
               "PFEE", "PFUK", "PFDE", "PFFR", "PFIT", "PFES", "EEGL", "PT98", "PT99", "ELFL", "EGUS")
RELATION_TYPES = ("Variation", "DisplaySet", "Collection", "Accessory", "Customized", "Part", "Complements",
                  "Piece", "Necessary", "ReplacementPart", "Similar", "Episode", "Season")
MAX_BULLET_POINTS = 5


def require_sku(context, sku):
    if sku not in context.catalogue:
        raise MessageError(UNKNOWN_SKU, f"The SKU '{sku}' does not exist in the catalogue. A Product feed for it "
                                        "must reach _DONE_ before other feeds can refer to it.", sku=sku)


def nothing_to_update(what):
    return [FeedWarning(NOTHING_TO_UPDATE, f"The message gives no {what} to change; nothing was updated.")]


# -- Product --------------------------------------------------------------------------------

def product(message, context):
    payload = v.Fields(message.payload)
    sku = v.sku(payload)
    attributes = product_attributes(payload)
    catalogue = context.catalogue
    if message.operation == "Delete":
        require_sku(context, sku)
        catalogue.delete(sku)
        return []
    if message.operation == "PartialUpdate":
        require_sku(context, sku)
        if not attributes:
            return nothing_to_update("product attribute")
        catalogue.change(sku, **attributes)
        return []
    if not attributes.get("title"):
        raise MessageError(MISSING_ATTRIBUTES, f"SKU {sku}, Missing Attributes item_name. The product cannot be "
                                               "created or replaced without DescriptionData/Title.")
    replaced = {name: None for name in PRODUCT_ATTRIBUTES}
    replaced["bullet_points"] = []
    replaced.update(attributes)
    if sku in catalogue:
        catalogue.change(sku, **replaced)
    else:
        catalogue.put(new_product(sku, **replaced))
    return []


def product_attributes(payload):
    """The attributes the message gives, checked; absent ones are left out."""
    found = {}
    identifier = v.nested(payload, "StandardProductID")
    if identifier is not None:
        kind = v.choice(identifier, "Type", STANDARD_PRODUCT_ID_TYPES, required=True)
        value = v.string(identifier, "Value", required=True, min_length=8, max_length=16)
        found["standard_product_id"] = {"type": kind, "value": value}
        if kind == "ASIN":
            found["asin"] = value
    tax_code = v.string(payload, "ProductTaxCode")
    if tax_code is not None:
        found["tax_code"] = tax_code
    condition = v.nested(payload, "Condition")
    if condition is not None:
        found["condition"] = v.choice(condition, "ConditionType", CONDITION_TYPES, required=True)
        v.string(condition, "ConditionNote", max_length=2000)
    for name in ("ItemPackageQuantity", "NumberOfItems"):
        v.integer(payload, name, minimum=1)
    description = v.nested(payload, "DescriptionData")
    if description is not None:
        found.update(description_attributes(description))
    if v.element(payload, "ProductData") is not None:
        found.update(category_attributes(payload))
    return found


def description_attributes(description):
    found = {"title": v.string(description, "Title", required=True, max_length=500)}
    for key, name, limit in (("brand", "Brand", 100), ("description", "Description", 2000),
                             ("manufacturer", "Manufacturer", 100), ("item_type", "ItemType", 500)):
        value = v.string(description, name, max_length=limit)
        if value is not None:
            found[key] = value
    bullets = v.strings(description, "BulletPoint", max_length=500, max_count=MAX_BULLET_POINTS)
    if bullets:
        found["bullet_points"] = bullets
    msrp = v.amount(description, "MSRP", currencies=CURRENCIES, fraction_digits=2)
    if msrp is not None:
        found["msrp"] = money(*msrp)
    return found


def category_attributes(payload):
    """ProductData holds one category element; its ProductType is an element or a plain value."""
    categories = list(v.element(payload, "ProductData"))
    if len(categories) != 1:
        raise v.invalid(payload, "ProductData", f"{len(categories)} categories",
                        "exactly one category element is required")
    category = categories[0]
    product_type = v.element(v.Fields(category), "ProductType")
    kind = None
    if product_type is not None:
        kind = product_type[0].tag if len(product_type) else (product_type.text or "").strip() or None
    return {"category": category.tag, "product_type": kind}


def money(value, currency):
    return {"amount": str(value), "currency": currency}


# -- Inventory ------------------------------------------------------------------------------

def inventory(message, context):
    payload = v.Fields(message.payload)
    sku = v.sku(payload)
    v.string(payload, "FulfillmentCenterID")
    given = v.exactly_one(payload, ("Available", "Quantity", "Lookup"), required=message.operation != "Delete")
    quantity = v.integer(payload, "Quantity", minimum=0)
    available = v.boolean(payload, "Available")
    lookup = v.choice(payload, "Lookup", ("FulfillmentNetwork",))
    restock_date = v.date(payload, "RestockDate")
    latency = v.integer(payload, "FulfillmentLatency", minimum=1)
    switch_to = v.choice(payload, "SwitchFulfillmentTo", ("MFN", "AFN"))
    require_sku(context, sku)
    if message.operation == "Delete":
        context.catalogue.change(sku, quantity=0, available=False)
        return []
    changes = {}
    if given == "Quantity":
        changes.update(quantity=quantity, available=quantity > 0)
    elif given == "Available":
        changes.update(available=available)
    elif lookup:
        changes.update(fulfillment_channel="AFN")  # Amazon's network counts the stock from now on
    if switch_to:
        changes["fulfillment_channel"] = switch_to
    if latency is not None:
        changes["fulfillment_latency"] = latency
    if restock_date is not None:
        changes["restock_date"] = restock_date
    context.catalogue.change(sku, **changes)
    return []


# -- Price ----------------------------------------------------------------------------------

def price(message, context):
    payload = v.Fields(message.payload)
    sku = v.sku(payload)
    standard = v.amount(payload, "StandardPrice", currencies=PRICE_CURRENCIES, fraction_digits=4)
    business = v.decimal(payload, "BusinessPrice", fraction_digits=4)
    if business is not None and business < 0:
        raise v.invalid(payload, "BusinessPrice", str(business), "an amount must not be negative")
    v.amount(payload, "MAP", currencies=PRICE_CURRENCIES, fraction_digits=4)
    for name in ("MinimumSellerAllowedPrice", "MaximumSellerAllowedPrice"):
        v.string_amount(payload, name, currencies=PRICE_CURRENCIES)
    sale = read_sale(payload)
    require_sku(context, sku)
    if message.operation == "Delete":
        context.catalogue.change(sku, price=None, business_price=None, sale=None)
        return []
    changes = {}
    if standard is not None:
        changes["price"] = money(*standard)
    if business is not None:
        changes["business_price"] = str(business)
    if sale is not None:
        changes["sale"] = sale
    if not changes:
        return nothing_to_update("price")
    context.catalogue.change(sku, **changes)
    return []


def read_sale(payload):
    sale = v.nested(payload, "Sale")
    if sale is None:
        return None
    start = v.datetime_ms(sale, "StartDate", required=True)
    end = v.datetime_ms(sale, "EndDate", required=True)
    if end < start:
        raise v.invalid(sale, "EndDate", sale.first("EndDate").text, "the sale must not end before it starts")
    value, currency = v.amount(sale, "SalePrice", currencies=PRICE_CURRENCIES, fraction_digits=4, required=True)
    return {**money(value, currency), "start": start, "end": end}


# -- ProductImage ---------------------------------------------------------------------------

def product_image(message, context):
    payload = v.Fields(message.payload)
    sku = v.sku(payload)
    image_type = v.choice(payload, "ImageType", IMAGE_TYPES, required=True)
    location = v.web_url(payload, "ImageLocation", required=message.operation != "Delete")
    require_sku(context, sku)

    def edit(product):
        if message.operation == "Delete":
            product["images"].pop(image_type, None)
        else:
            product["images"][image_type] = location
    context.catalogue.edit(sku, edit)
    return []


# -- Relationship ---------------------------------------------------------------------------

def relationship(message, context):
    payload = v.Fields(message.payload)
    parent = v.sku(payload, "ParentSKU")
    relations = [v.Fields(relation) for relation in payload.all("Relation")]
    if not relations:
        raise v.missing(payload, "Relation")
    wanted = [{"sku": v.sku(relation), "type": v.choice(relation, "Type", RELATION_TYPES, required=True)}
              for relation in relations]
    if parent not in context.catalogue:
        raise MessageError(UNKNOWN_PARENT_SKU, f"We cannot recognize your parent SKU: [{parent}]. It must exist "
                                               "in the catalogue before relationships can refer to it.", sku=parent)
    for relation in wanted:
        require_sku(context, relation["sku"])

    def edit(product):
        listed = {(r["sku"], r["type"]) for r in wanted}
        kept = [r for r in product["relations"] if (r["sku"], r["type"]) not in listed]
        product["relations"] = kept if message.operation == "Delete" else kept + wanted
    context.catalogue.edit(parent, edit)
    return []
