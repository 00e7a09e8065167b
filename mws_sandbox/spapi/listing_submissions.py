"""Listings submissions over the sandbox's catalogue: what putListingsItem, patchListingsItem,
deleteListingsItem and every JSON_LISTINGS_FEED message do, and what getListingsItem shows.

    listings = Listings(catalogue, clock, seller_id)
    outcome = listings.submit("SKU-1", "PATCH", product_type="PRODUCT", patches=[...], marketplace_id=...)
    outcome.status, outcome.issues          # ACCEPTED / INVALID (VALID in VALIDATION_PREVIEW), Amazon issues

Operations (listings-feed schema, operationType; Listings Items API 2021-08-01 model):
- UPDATE (= put): the attributes given replace all; checked with the product type's requirements enforced
  (a required attribute missing makes the submission INVALID with 90220).
- PARTIAL_UPDATE: the attributes given replace those of the same name (= PATCH replace).
- PATCH: JSON Patch on whole attributes (`/attributes/<name>`): add and replace set the attribute, merge
  merges entries that share the attribute's selector values (and adds the others), delete removes the
  entries given by their selector values, or the whole attribute without a value.
- DELETE: the listing (the catalogue product) is removed.
PATCH and PARTIAL_UPDATE are checked for what they touch (structure and values, requirements not
enforced); the listing that results is then checked against the requirements it was made with (LISTING
for listings the MWS side made), and what is
missing becomes the item's own issues (shown by getListingsItem and in a feed report's items), not a
refusal: the listing is accepted but not buyable, as Amazon's listings that "silently fail later".
"""

import copy
import threading
import uuid
from dataclasses import dataclass, field

from ..feeds.catalogue import new_product
from ..clock import format_ms
from . import product_type_definitions as product_types
from .catalogue_bridge import FIELDS_OF, attributes_of, project
from .issues import BAD_PATCH, ERROR, NO_LISTING, UNKNOWN_PRODUCT_TYPE, issue

OPERATION_TYPES = ("UPDATE", "PARTIAL_UPDATE", "PATCH", "DELETE")
PATCH_OPS = ("add", "replace", "merge", "delete")
ACCEPTED, INVALID, VALID = "ACCEPTED", "INVALID", "VALID"


@dataclass
class Outcome:
    sku: str
    status: str
    submission_id: str
    issues: list = field(default_factory=list)
    asin: str | None = None


class Listings:
    def __init__(self, catalogue, clock, seller_id):
        self.catalogue = catalogue
        self.clock = clock
        self.seller_id = seller_id
        self.start_ms = clock.now_ms()  # when the listings the sandbox starts with were created
        self._lock = threading.RLock()  # a submission reads, checks and writes as one step

    # -- writing --------------------------------------------------------------------------------
    def submit(self, sku, operation, **details):
        with self._lock:
            return self._submit(sku, operation, **details)

    def _submit(self, sku, operation, *, marketplace_id, product_type=None, attributes=None, patches=None,
                requirements="LISTING", preview=False):
        submission_id = uuid.uuid4().hex
        current = self.catalogue.get(sku)

        def refused(*issues):
            return Outcome(sku, INVALID, submission_id, list(issues))

        if operation == "DELETE":
            if current is None:
                return refused(issue(NO_LISTING, f"The SKU '{sku}' has no listing to delete."))
            if not preview:
                self._delete(sku)
            return Outcome(sku, VALID if preview else ACCEPTED, submission_id)
        if product_types.definition(product_type) is None:
            return refused(issue(UNKNOWN_PRODUCT_TYPE, f"The product type '{product_type}' is not one of the "
                                                       f"product types of this marketplace.",
                                 categories=["INVALID_ATTRIBUTE"]))
        if operation != "UPDATE" and current is None:
            return refused(issue(NO_LISTING, f"The SKU '{sku}' has no listing; create it with an UPDATE (putListingsItem) "
                                             f"before a {operation}."))
        existing = attributes_of(current, marketplace_id) if current is not None else {}
        if operation == "UPDATE":
            result, touched = copy.deepcopy(attributes), set(attributes)
            problems = product_types.validate(product_type, result, requirements=requirements, enforced=True)
        else:
            if operation == "PARTIAL_UPDATE":
                result, touched, problems = {**existing, **copy.deepcopy(attributes)}, set(attributes), []
            else:
                result, touched, problems = apply_patches(existing, patches, product_type)
            problems += product_types.validate(product_type, {k: v for k, v in result.items() if k in touched},
                                               enforced=False)
        errors = [i for i in problems if i["severity"] == ERROR]
        if errors:
            return refused(*problems)
        if operation != "UPDATE":  # a patch keeps the requirements the listing was made with
            requirements = ((current or {}).get("spapi") or {}).get("requirements", "LISTING")
        item_issues = product_types.validate(product_type, result, requirements=requirements, enforced=True)
        if not preview:
            self._write(sku, current, product_type, result, item_issues, marketplace_id, requirements)
        asin = (self.catalogue.get(sku) or current or {}).get("asin")
        return Outcome(sku, VALID if preview else ACCEPTED, submission_id, problems, asin)

    def _write(self, sku, current, product_type, attributes, item_issues, marketplace_id, requirements):
        now = self.clock.now_ms()
        product = current if current is not None else new_product(sku)
        record = product.get("spapi") or {"created_ms": now}
        fields = project(attributes, marketplace_id)
        product.update(fields)
        mirror = {f: copy.deepcopy(product.get(f)) for names in FIELDS_OF.values() for f in names}
        product["spapi"] = {**record, "product_type": product_type, "requirements": requirements,
                            "attributes": attributes, "mirror": mirror, "issues": item_issues, "updated_ms": now}
        self.catalogue.put(product)
        self._relate(sku, attributes, marketplace_id)

    def _relate(self, sku, attributes, marketplace_id):
        """A child's child_parent_sku_relationship is the parent's relations on the MWS side."""
        parents = {r.get("parent_sku") for r in attributes.get("child_parent_sku_relationship") or []
                   if r.get("child_relationship_type") == "variation" and r.get("parent_sku")}
        for other in self.catalogue.skus():
            def edit(product, other=other):
                relations = [r for r in product.get("relations") or [] if r.get("sku") != sku]
                if other in parents:
                    relations.append({"sku": sku, "type": "Variation"})
                product["relations"] = relations
            product = self.catalogue.get(other)
            linked = any(r.get("sku") == sku for r in product.get("relations") or [])
            if linked or other in parents:
                self.catalogue.edit(other, edit)

    def _delete(self, sku):
        self.catalogue.delete(sku)
        self._relate(sku, {}, None)

    # -- reading --------------------------------------------------------------------------------
    def item(self, sku, marketplace_id, included):
        """getListingsItem's Item for the SKU with the `included` data sets, or None."""
        product = self.catalogue.get(sku)
        if product is None:
            return None
        record = product.get("spapi") or {}
        attributes = attributes_of(product, marketplace_id)
        product_type = record.get("product_type", "PRODUCT")
        issues = record.get("issues")
        if issues is None:
            issues = product_types.validate(product_type, attributes) if record else []
        out = {"sku": sku}
        if "summaries" in included:
            out["summaries"] = [self._summary(product, record, attributes, product_type, issues, marketplace_id)]
        if "attributes" in included:
            out["attributes"] = attributes
        if "issues" in included:
            out["issues"] = issues
        if "offers" in included:
            out["offers"] = offers(attributes, marketplace_id)
        if "fulfillmentAvailability" in included:
            out["fulfillmentAvailability"] = [
                {"fulfillmentChannelCode": e["fulfillment_channel_code"],
                 **({"quantity": e["quantity"]} if isinstance(e.get("quantity"), int) else {})}
                for e in attributes.get("fulfillment_availability") or []]
        if "procurement" in included:
            out["procurement"] = []
        if "relationships" in included:
            out["relationships"] = [{"marketplaceId": marketplace_id,
                                     "relationships": self._relationships(sku, product, attributes)}]
        if "productTypes" in included:
            out["productTypes"] = [{"marketplaceId": marketplace_id, "productType": product_type}]
        return out

    def _summary(self, product, record, attributes, product_type, issues, marketplace_id):
        start = self.start_ms
        summary = {"marketplaceId": marketplace_id}
        if product.get("asin"):
            summary["asin"] = product["asin"]
        summary["productType"] = product_type
        condition = (attributes.get("condition_type") or [{}])[0].get("value")
        if condition:
            summary["conditionType"] = condition
        buyable = (not any(i["severity"] == ERROR for i in issues) and bool(offers(attributes, marketplace_id))
                   and product.get("available", False))
        summary["status"] = ["BUYABLE", "DISCOVERABLE"] if buyable else (["DISCOVERABLE"] if product.get("title")
                                                                         else [])
        if product.get("title"):
            summary["itemName"] = product["title"]
        summary["createdDate"] = format_ms(record.get("created_ms", start))
        summary["lastUpdatedDate"] = format_ms(record.get("updated_ms", start))
        main = (product.get("images") or {}).get("Main")
        if main:
            summary["mainImage"] = {"link": main, "height": 500, "width": 500}
        return summary

    def _relationships(self, sku, product, attributes):
        out = []
        children = [r["sku"] for r in product.get("relations") or [] if r.get("type") == "Variation"]
        if children:
            out.append({"type": "VARIATION", "childSkus": children})
        parents = [r.get("parent_sku") for r in attributes.get("child_parent_sku_relationship") or []
                   if r.get("parent_sku")]
        if parents:
            out.append({"type": "VARIATION", "parentSkus": parents})
        return out


def offers(attributes, marketplace_id):
    out = []
    for offer in attributes.get("purchasable_offer") or []:
        if offer.get("marketplace_id", marketplace_id) != marketplace_id:
            continue
        try:
            value = offer["our_price"][0]["schedule"][0]["value_with_tax"]
        except (KeyError, IndexError, TypeError):
            continue
        b2b = offer.get("audience") == "B2B"
        out.append({"marketplaceId": marketplace_id, "offerType": "B2B" if b2b else "B2C",
                    "price": {"currencyCode": offer.get("currency", "USD"), "amount": f"{value}"},
                    "audience": {"value": "B2B" if b2b else "ALL",
                                 "displayName": "Amazon Business" if b2b else "Sell on Amazon"}})
    return out


def apply_patches(existing, patches, product_type):
    """(attributes after the patches, names touched, issues of malformed patches)."""
    result = copy.deepcopy(existing)
    touched, problems = set(), []
    properties = product_types.schema(product_type, enforced=False)["properties"]
    for index, patch in enumerate(patches):
        op, path, value = patch.get("op"), patch.get("path"), patch.get("value")
        parts = path.split("/") if isinstance(path, str) else []
        if len(parts) != 3 or parts[0] != "" or parts[1] != "attributes" or not parts[2]:
            problems.append(issue(BAD_PATCH, f"patches[{index}].path '{path}' must be /attributes/<attribute name>; "
                                             "nested paths are not supported."))
            continue
        name = parts[2]
        if op in ("add", "replace", "merge") and not isinstance(value, list):
            problems.append(issue(BAD_PATCH, f"patches[{index}] ({op} {path}) needs a value: an array of objects.",
                                  attribute=name))
            continue
        touched.add(name)
        selectors = (properties.get(name) or {}).get("selectors") or []
        if op in ("add", "replace"):
            result[name] = copy.deepcopy(value)
        elif op == "merge":
            merged = list(result.get(name) or [])
            for entry in value:
                match = next((i for i, old in enumerate(merged) if selectors
                              and all(old.get(s) == entry.get(s) for s in selectors)), None)
                if match is None:
                    merged.append(copy.deepcopy(entry))
                else:
                    merged[match] = {**merged[match], **copy.deepcopy(entry)}
            result[name] = merged
        elif op == "delete":
            if value is None:
                result.pop(name, None)
            else:
                keep = [old for old in result.get(name) or [] if not any(
                    all(old.get(s) == entry.get(s) for s in (selectors or entry)) for entry in value)]
                if keep:
                    result[name] = keep
                else:
                    result.pop(name, None)
    return result, touched, problems
