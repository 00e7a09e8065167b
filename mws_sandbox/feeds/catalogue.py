"""The seller's catalogue: products by SKU, as the Feeds section changes them.

A product is a plain dict (see `new_product` for its keys). Readers get deep
copies, so a test can keep what it read while feeds change the catalogue.
The catalogue starts with the SKUs the generated orders sell, so inventory
and price feeds for those work out of the box.
"""

import copy
import random
import threading

# Product attributes a Product feed sets; everything else is offer data other feeds set.
PRODUCT_ATTRIBUTES = ("title", "brand", "description", "bullet_points", "manufacturer", "msrp", "category",
                      "product_type", "standard_product_id", "condition", "tax_code", "item_type")


def new_product(sku, **attributes):
    product = {
        "sku": sku,
        "asin": None,
        **{name: None for name in PRODUCT_ATTRIBUTES},
        "bullet_points": [],
        "price": None,  # {"amount": "19.99", "currency": "USD"}
        "business_price": None,  # "18.50"
        "sale": None,  # {"amount", "currency", "start", "end"} (dates as epoch ms)
        "quantity": 0,
        "available": False,
        "fulfillment_channel": "MFN",  # "AFN" once an Inventory Lookup/SwitchFulfillmentTo says so
        "fulfillment_latency": None,
        "restock_date": None,
        "images": {},  # ImageType -> URL
        "relations": [],  # [{"sku": child SKU, "type": "Variation"}], on the parent
    }
    product.update(attributes)
    return product


class Catalogue:
    def __init__(self, products=()):
        self._lock = threading.RLock()
        self._products = {p["sku"]: copy.deepcopy(p) for p in products}

    @classmethod
    def seeded(cls, listings, seed):
        """Products for (asin, sku, title, usd_price) listings, with stock drawn from `seed`."""
        rng = random.Random(f"mws-sandbox-catalogue-{seed}")
        products = []
        for asin, sku, title, price in listings:
            quantity = rng.choice((0, 3, 12, 25, 40, 100))
            products.append(new_product(sku, asin=asin, title=title, condition="New",
                                        price={"amount": f"{price:.2f}", "currency": "USD"},
                                        quantity=quantity, available=quantity > 0,
                                        standard_product_id={"type": "ASIN", "value": asin}))
        return cls(products)

    # -- reading --------------------------------------------------------------------------
    def __contains__(self, sku):
        with self._lock:
            return sku in self._products

    def __len__(self):
        with self._lock:
            return len(self._products)

    def __iter__(self):
        return iter(self.skus())

    def __getitem__(self, sku):
        with self._lock:
            return copy.deepcopy(self._products[sku])

    def get(self, sku, default=None):
        with self._lock:
            product = self._products.get(sku)
            return default if product is None else copy.deepcopy(product)

    def skus(self):
        with self._lock:
            return sorted(self._products)

    def snapshot(self):
        with self._lock:
            return copy.deepcopy(self._products)

    # -- changing -------------------------------------------------------------------------
    def put(self, product):
        with self._lock:
            self._products[product["sku"]] = copy.deepcopy(product)

    def change(self, sku, **fields):
        """Set some fields of an existing product (KeyError when the SKU is unknown)."""
        with self._lock:
            self._products[sku].update(copy.deepcopy(fields))

    def edit(self, sku, edit):
        """Apply `edit(product)` in place under the lock, for changes that read before they write."""
        with self._lock:
            edit(self._products[sku])

    def delete(self, sku):
        with self._lock:
            del self._products[sku]
