"""The feed kinds this component writes and the 30 product categories it offers.

One row per kind: adding an XML feed type is adding a row here (plus its payload
element to the generator run, which reads the roots from this table).
"""

from dataclasses import dataclass

from ..errors import shown
from ..inputs import listing, nearest, refuse
from ..naming import json_name


@dataclass(frozen=True)
class FeedKind:
    key: str                 # the name the component uses: "inventory", "price", ...
    feed_type: str           # SubmitFeed FeedType (Amazon MWS Feeds API Reference, FeedType enumeration)
    message_type: str        # AmazonEnvelope/MessageType
    element: str             # the payload element of each Message
    operation_types: tuple   # allowed OperationType values, default first; () = the element is left out
    title: str
    required_on_update: tuple = ()   # JSON keys the XSD leaves optional but Update needs
    omitted_on_delete: tuple = ()    # JSON keys a Delete message must not carry
    category_holder: str = None      # element whose choice is the product category

    @property
    def default_operation_type(self):
        return self.operation_types[0] if self.operation_types else None

    @property
    def description(self):
        """The compiled description of the payload element (loaded on first use)."""
        from .model import element_model
        return element_model(self.element)


_FEED_KINDS = (
    FeedKind("product", "_POST_PRODUCT_DATA_", "Product", "Product",
             ("Update", "Delete", "PartialUpdate"), "Product",
             category_holder="ProductData"),
    FeedKind("inventory", "_POST_INVENTORY_AVAILABILITY_DATA_", "Inventory", "Inventory",
             ("Update", "Delete"), "Inventory"),
    FeedKind("price", "_POST_PRODUCT_PRICING_DATA_", "Price", "Price",
             ("Update", "Delete"), "Price"),
    # ImageLocation is optional in the XSD because a Delete names only SKU and ImageType.
    FeedKind("image", "_POST_PRODUCT_IMAGE_DATA_", "ProductImage", "ProductImage",
             ("Update", "Delete"), "Product image",
             required_on_update=("imageLocation",), omitted_on_delete=("imageLocation",)),
    FeedKind("relationship", "_POST_PRODUCT_RELATIONSHIP_DATA_", "Relationship", "Relationship",
             ("Update", "Delete"), "Product relationship"),
    # Order feeds carry no OperationType (Amazon's examples leave it out).
    FeedKind("orderAcknowledgement", "_POST_ORDER_ACKNOWLEDGEMENT_DATA_", "OrderAcknowledgement",
             "OrderAcknowledgement", (), "Order acknowledgement"),
    FeedKind("orderFulfillment", "_POST_ORDER_FULFILLMENT_DATA_", "OrderFulfillment",
             "OrderFulfillment", (), "Order fulfillment"),
)

FEED_TYPES = {kind.key: kind for kind in _FEED_KINDS}
_BY_FEED_TYPE = {kind.feed_type: kind for kind in _FEED_KINDS}


def describe(kind):
    """The FeedKind for a key ("inventory") or a FeedType ("_POST_INVENTORY_AVAILABILITY_DATA_")."""
    if isinstance(kind, FeedKind):
        return kind
    found = FEED_TYPES.get(kind) or _BY_FEED_TYPE.get(kind)
    if found is None:
        raise refuse("kind", f"unknown feed kind {shown(kind)}; known: {', '.join(FEED_TYPES)}")
    return found


@dataclass(frozen=True)
class Category:
    label: str       # as the original elastic.io Amazon MWS component listed it (its documentation page)
    element: str     # the ProductData child element

    @property
    def key(self):
        """The JSON key under productData."""
        return json_name(self.element)


# The original component's 30 labels, mapped to ProductData elements by name. Rows 6, 10 and 30
# are uncertain; the main mapping is used (ClothingAccessories, FoodAndBeverages, Toys).
CATEGORIES = tuple(Category(label, element) for label, element in (
    ("Auto Accessories", "AutoAccessory"),
    ("Beauty", "Beauty"),
    ("Books", "Books"),
    ("Camera & Photo", "CameraPhoto"),
    ("Cell Phones & Accessories (Wireless)", "Wireless"),
    ("Clothing Accessories & Luggage", "ClothingAccessories"),
    ("Computers", "Computers"),
    ("Consumer Electronics", "CE"),
    ("Entertainment Collectibles", "EntertainmentCollectibles"),
    ("Grocery & Gourmet Food", "FoodAndBeverages"),
    ("Health", "Health"),
    ("Home Improvement", "HomeImprovement"),
    ("Industrial & Scientific: Lab & Scientific Supplies", "LabSupplies"),
    ("Industrial & Scientific: Power Transmission", "PowerTransmission"),
    ("Industrial & Scientific: Raw Materials", "RawMaterials"),
    ("Jewelry", "Jewelry"),
    ("Lighting", "Lighting"),
    ("Miscellaneous", "Miscellaneous"),
    ("Musical Instruments", "MusicalInstruments"),
    ("Music", "Music"),
    ("Office", "Office"),
    ("Outdoors", "Outdoors"),
    ("Pet Supplies", "PetSupplies"),
    ("Shoes Handbags and Sunglasses", "Shoes"),
    ("Software and Video Games", "SoftwareVideoGames"),
    ("Sports", "Sports"),
    ("Sports Collectibles", "SportsMemorabilia"),
    ("Tires & Wheels", "TiresAndWheels"),
    ("Tools", "Tools"),
    ("Toys & Games", "Toys"),
))

# Matched exactly, case included, like every enumeration (mws_component/inputs.py): "Toys & Games",
# "Toys" and "toys" are the three spellings of one category; "TOYS" is refused with the nearest one.
_CATEGORY_NAMES = {}
for _category in CATEGORIES:
    for _name in (_category.label, _category.element, _category.key):
        _CATEGORY_NAMES[_name] = _category


def resolve_category(name, field="category"):
    """The Category for a label ("Toys & Games"), a ProductData element ("Toys") or its JSON key ("toys");
    anything else is refused naming `field`."""
    if isinstance(name, Category):
        return name
    found = _CATEGORY_NAMES.get(name) if isinstance(name, str) else None
    if found is None:
        raise refuse(field, f"{shown(name)} is not a product category{nearest(name, _CATEGORY_NAMES)}; "
                            f"one of {listing([c.label for c in CATEGORIES], 30)}")
    return found
