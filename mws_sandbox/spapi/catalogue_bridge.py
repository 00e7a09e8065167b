"""Between SP-API listings attributes and the sandbox's Catalogue, which the MWS feeds change too.

A catalogue product is the MWS feeds' plain dict (title, price, quantity, images, relations...). An SP-API
write keeps the attributes as given under `product["spapi"]` and also sets the MWS fields they mean, so
MWS readers see the change; a read takes each bridged attribute as stored unless the MWS fields it
stands for have changed since (an MWS feed wrote them), in which case it is derived from those fields.
Products only the MWS feeds (or the seed) made are read entirely from their MWS fields.

Conditions: the Listings Items API model's conditionType values against the MWS ConditionType enum.
"""

from datetime import timezone

from dateutil.parser import isoparse

from ..clock import datetime_to_ms, ms_to_datetime

CONDITIONS = {"new_new": "New", "new_open_box": "New", "new_oem": "New", "refurbished_refurbished": "Refurbished",
              "used_like_new": "UsedLikeNew", "used_very_good": "UsedVeryGood", "used_good": "UsedGood",
              "used_acceptable": "UsedAcceptable", "collectible_like_new": "CollectibleLikeNew",
              "collectible_very_good": "CollectibleVeryGood", "collectible_good": "CollectibleGood",
              "collectible_acceptable": "CollectibleAcceptable", "club_club": "Club"}
MWS_CONDITIONS = {mws: sp for sp, mws in reversed(list(CONDITIONS.items()))}
IMAGE_SLOTS = {"main_product_image_locator": "Main", "swatch_product_image_locator": "Swatch",
               **{f"other_product_image_locator_{n}": f"PT{n}" for n in range(1, 9)}}


def _first(attributes, name, marketplace_id):
    values = attributes.get(name) or []
    for value in values:
        if isinstance(value, dict) and value.get("marketplace_id", marketplace_id) == marketplace_id:
            return value
    return None


def _ms(value):
    if not isinstance(value, str):
        return None
    moment = isoparse(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return datetime_to_ms(moment)


def _date(ms):
    return None if ms is None else ms_to_datetime(ms).strftime("%Y-%m-%dT%H:%M:%SZ")


def _price(offer, name):
    try:
        return offer[name][0]["schedule"][0]
    except (KeyError, IndexError, TypeError):
        return None


def _amount(number):
    return f"{number:.2f}" if isinstance(number, (int, float)) else None


# -- attributes -> MWS fields -------------------------------------------------------------------------

def _text_fields(field):
    def project(attributes, m):
        value = _first(attributes, BRIDGED_TEXT[field], m)
        return {field: value["value"] if value else None}
    return project


BRIDGED_TEXT = {"title": "item_name", "brand": "brand", "description": "product_description",
                "manufacturer": "manufacturer"}


def project_offer(attributes, m):
    fields = {"price": None, "business_price": None, "sale": None}
    for offer in attributes.get("purchasable_offer") or []:
        if offer.get("marketplace_id", m) != m:
            continue
        ours = _price(offer, "our_price")
        if offer.get("audience", "ALL") == "B2B":
            fields["business_price"] = _amount(ours and ours.get("value_with_tax"))
            continue
        if ours is not None:
            fields["price"] = {"amount": _amount(ours.get("value_with_tax")), "currency": offer.get("currency")}
        sale = _price(offer, "discounted_price")
        if sale is not None:
            fields["sale"] = {"amount": _amount(sale.get("value_with_tax")), "currency": offer.get("currency"),
                              "start": _ms(sale.get("start_at")), "end": _ms(sale.get("end_at"))}
    return fields


def project_availability(attributes, m):
    fields = {"quantity": 0, "available": False, "fulfillment_channel": "MFN", "fulfillment_latency": None,
              "restock_date": None}
    for entry in attributes.get("fulfillment_availability") or []:
        if entry.get("fulfillment_channel_code") != "DEFAULT":
            fields["fulfillment_channel"] = "AFN"
            continue
        quantity = entry.get("quantity")
        fields["quantity"] = quantity if isinstance(quantity, int) else 0
        fields["available"] = fields["quantity"] > 0 or bool(entry.get("is_inventory_available"))
        fields["fulfillment_latency"] = entry.get("lead_time_to_ship_max_days")
        fields["restock_date"] = _ms(entry.get("restock_date"))
    return fields


def project_images(attributes, m):
    images = {}
    for name, slot in IMAGE_SLOTS.items():
        value = _first(attributes, name, m)
        if value:
            images[slot] = value.get("media_location")
    return {"images": images}


def project_identity(attributes, m):
    fields = {}
    identifier = _first(attributes, "externally_assigned_product_identifier", m)
    if identifier:
        fields["standard_product_id"] = {"type": str(identifier.get("type", "")).upper(), "value": identifier.get("value")}
    asin = _first(attributes, "merchant_suggested_asin", m)
    if asin:
        fields["asin"] = asin.get("value")
        fields.setdefault("standard_product_id", {"type": "ASIN", "value": asin.get("value")})
    return fields


def project(attributes, marketplace_id):
    """The MWS product fields the attributes stand for (fields an attribute does not mention: left as they are)."""
    fields = {}
    for field in BRIDGED_TEXT:
        if BRIDGED_TEXT[field] in attributes:
            fields.update(_text_fields(field)(attributes, marketplace_id))
    if "bullet_point" in attributes:
        fields["bullet_points"] = [b.get("value") for b in attributes["bullet_point"]
                                   if b.get("marketplace_id", marketplace_id) == marketplace_id]
    condition = _first(attributes, "condition_type", marketplace_id)
    if condition:
        fields["condition"] = CONDITIONS.get(condition.get("value"))
    fields.update(project_identity(attributes, marketplace_id))
    if "purchasable_offer" in attributes:
        fields.update(project_offer(attributes, marketplace_id))
    if "fulfillment_availability" in attributes:
        fields.update(project_availability(attributes, marketplace_id))
    fields.update(project_images(attributes, marketplace_id))
    return fields


# -- MWS fields -> attributes -------------------------------------------------------------------------

def derive(product, marketplace_id, language_tag="en_US"):
    """Attributes in Amazon's shape for what a product's MWS fields say."""
    m = marketplace_id
    out = {}
    for field, name in BRIDGED_TEXT.items():
        if product.get(field):
            out[name] = [{"value": product[field], "language_tag": language_tag, "marketplace_id": m}]
    if product.get("bullet_points"):
        out["bullet_point"] = [{"value": b, "language_tag": language_tag, "marketplace_id": m}
                               for b in product["bullet_points"]]
    if product.get("condition") in MWS_CONDITIONS:
        out["condition_type"] = [{"value": MWS_CONDITIONS[product["condition"]], "marketplace_id": m}]
    if product.get("asin"):
        out["merchant_suggested_asin"] = [{"value": product["asin"], "marketplace_id": m}]
    identifier = product.get("standard_product_id") or {}
    if identifier.get("type") in ("EAN", "GTIN", "UPC", "ISBN"):
        out["externally_assigned_product_identifier"] = [
            {"type": identifier["type"].lower(), "value": identifier["value"], "marketplace_id": m}]
    offers = []
    price = product.get("price")
    if price and price.get("amount") is not None:
        offer = {"marketplace_id": m, "currency": price.get("currency"), "audience": "ALL",
                 "our_price": [{"schedule": [{"value_with_tax": float(price["amount"])}]}]}
        sale = product.get("sale")
        if sale and sale.get("amount") is not None:
            offer["discounted_price"] = [{"schedule": [{"value_with_tax": float(sale["amount"]),
                                                        "start_at": _date(sale.get("start")),
                                                        "end_at": _date(sale.get("end"))}]}]
        offers.append(offer)
    if product.get("business_price") is not None:
        offers.append({"marketplace_id": m, "currency": (price or {}).get("currency", "USD"), "audience": "B2B",
                       "our_price": [{"schedule": [{"value_with_tax": float(product["business_price"])}]}]})
    if offers:
        out["purchasable_offer"] = offers
    if product.get("fulfillment_channel") == "AFN":
        out["fulfillment_availability"] = [{"fulfillment_channel_code": "AMAZON_NA"}]
    else:
        entry = {"fulfillment_channel_code": "DEFAULT", "quantity": int(product.get("quantity") or 0)}
        if product.get("fulfillment_latency") is not None:
            entry["lead_time_to_ship_max_days"] = product["fulfillment_latency"]
        if product.get("restock_date") is not None:
            entry["restock_date"] = _date(product["restock_date"])
        out["fulfillment_availability"] = [entry]
    for name, slot in IMAGE_SLOTS.items():
        if (product.get("images") or {}).get(slot):
            out[name] = [{"media_location": product["images"][slot], "marketplace_id": m}]
    return out


# Which MWS fields each attribute stands for: a stored attribute is shown while these are as it left them.
FIELDS_OF = {
    **{name: (field,) for field, name in BRIDGED_TEXT.items()},
    "bullet_point": ("bullet_points",),
    "condition_type": ("condition",),
    "merchant_suggested_asin": ("asin",),
    "externally_assigned_product_identifier": ("standard_product_id",),
    "purchasable_offer": ("price", "business_price", "sale"),
    "fulfillment_availability": ("quantity", "fulfillment_channel", "fulfillment_latency", "restock_date"),
    **{name: ("images",) for name in IMAGE_SLOTS},
}


def attributes_of(product, marketplace_id):
    """The listing's attributes as getListingsItem shows them."""
    record = product.get("spapi") or {}
    stored = record.get("attributes") or {}
    mirror = record.get("mirror") or {}
    derived = derive(product, marketplace_id)
    out = {}
    for name in {*stored, *derived}:
        fields = FIELDS_OF.get(name)
        unchanged = fields is None or all(product.get(f) == mirror.get(f, _missing) for f in fields)
        if name in stored and unchanged:
            out[name] = stored[name]
        elif name in derived:
            out[name] = derived[name]
    return dict(sorted(out.items()))


_missing = object()

