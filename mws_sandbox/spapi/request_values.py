"""Query values the Feeds, Listings and Product Type Definitions faces share: csv arrays, enums, marketplaces.

Arrays are comma-separated (Swagger 2's default csv, as every SP-API model declares them); every error
names the parameter (and the value's index) in a 400 InvalidInput.
"""

from .errors import WRONG_REGION, invalid_input, unauthorized
from .orders import csv, enum_list  # noqa: F401  (the Orders face's readers, shared by the other faces)
from .tables import MARKETPLACES


def enum_value(query, name, allowed, default=None):
    value = query.get(name)
    if value is None:
        return default
    if value not in allowed:
        raise invalid_input(f"{name} '{value[:40]}' is not one of: {', '.join(allowed)}")
    return value


def check_marketplaces(ids, region, name="marketplaceIds"):
    for index, marketplace_id in enumerate(ids):
        if not isinstance(marketplace_id, str) or marketplace_id not in MARKETPLACES:
            raise invalid_input(f"{name}[{index}] '{str(marketplace_id)[:40]}' is not a marketplace id")
    if any(MARKETPLACES[m].region != region for m in ids):
        raise unauthorized(WRONG_REGION)
    return list(ids)


def marketplaces(query, region, *, required=False, max_items=None):
    ids = csv(query, "marketplaceIds")
    if required and not ids:
        raise invalid_input("marketplaceIds is required")
    if max_items is not None and len(ids) > max_items:
        raise invalid_input(f"marketplaceIds has {len(ids)} values; at most {max_items} are allowed")
    return check_marketplaces(ids, region)
