"""Every SP-API operation the connector uses, as data.

One row per operation: its method and path template, its usage plan (the
default rate per second and burst each operation's description in Amazon's
models gives; SP-API: Usage Plans and Rate Limits), whether it is safe to send
again, its array parameters (Swagger 2 `csv`: comma-separated) with the most
values one call takes, the key of its answer that holds the result, its
pagination, and the out-schema its result is mapped into. The authoriser, the
quota model and the account read this table; adding an operation is adding a row.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import quote

_PATH_PARAM = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class UsagePlan:
    key: str  # the bucket: one per operation (operations never share a plan in SP-API)
    rate: float  # requests restored per second
    burst: int

    @property
    def interval(self):
        """Seconds to restore one request."""
        return 1.0 / self.rate


@dataclass(frozen=True)
class Operation:
    name: str  # the model's operationId
    api: str  # the model, e.g. "orders_2026-01-01"
    method: str
    path: str  # template: /orders/2026-01-01/orders/{orderId}
    plan: UsagePlan
    # Safe to send again after an answer that never came: createFeed is not (the feed may have been taken).
    idempotent: bool = True
    # array parameter -> the most values one call takes (None: the model declares no maximum); callers chunk by it
    arrays: dict = field(default_factory=dict)
    # query parameter -> its allowed values (the model's enums), checked before anything is sent
    enums: dict = field(default_factory=dict)
    result_key: str | None = None  # the answer's key holding the result ("orders", "order"); None: the whole body
    # pagination: the query parameter carrying the token, the answer's path to the next token, and
    # whether the token goes alone (getFeeds) or with every other parameter repeated (searchOrders)
    page_token: str | None = None
    next_token_path: tuple = ()
    token_alone: bool = False
    out_schema: str | None = None  # schemas/<name> the mapped result follows
    content_type: str | None = None  # for operations with a JSON body (createFeed, putListingsItem)
    success: tuple = (200,)

    @property
    def quota(self):
        return self.plan

    @property
    def path_params(self):
        return tuple(_PATH_PARAM.findall(self.path))

    def url(self, base_url, **values):
        """base_url + the path with each {name} percent-encoded as one segment (a SKU may hold / or spaces)."""
        missing = [name for name in self.path_params if values.get(name) in (None, "")]
        if missing:
            raise ValueError(f"{self.name}: path parameter {missing[0]} is required")
        extra = set(values) - set(self.path_params)
        if extra:
            raise ValueError(f"{self.name}: {sorted(extra)[0]} is not a path parameter")
        path = _PATH_PARAM.sub(lambda m: quote(str(values[m.group(1)]), safe=""), self.path)
        return base_url.rstrip("/") + path

    def check_params(self, params):
        """The query parameters as the model allows them (arrays as lists within their maximum, enums known);
        ValueError names the parameter. Unset values are dropped."""
        out = {}
        for name, value in params.items():
            if value is None or (isinstance(value, (list, tuple)) and not value):
                continue
            if isinstance(value, (list, tuple)):
                if name not in self.arrays:
                    raise ValueError(f"{self.name}: {name} is not an array parameter")
                limit = self.arrays[name]
                if limit is not None and len(value) > limit:
                    raise ValueError(f"{self.name}: {name} takes at most {limit} values, got {len(value)}")
                value = [str(v) for v in value]
            allowed = self.enums.get(name)
            if allowed is not None:
                unknown = [v for v in (value if isinstance(value, list) else [value]) if v not in allowed]
                if unknown:
                    raise ValueError(f"{self.name}: {name} value {unknown[0]!r} is not one of {', '.join(allowed)}")
            out[name] = value
        return out


FULFILLMENT_STATUSES = ("PENDING_AVAILABILITY", "PENDING", "UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED",
                        "CANCELLED", "UNFULFILLABLE")
INCLUDED_DATA = ("BUYER", "RECIPIENT", "PROCEEDS", "EXPENSE", "PROMOTION", "CANCELLATION", "FULFILLMENT",
                 "PACKAGES", "TAX", "PAYMENT", "FULFILLMENT_ORDERS")
FULFILLED_BY = ("MERCHANT", "AMAZON")

_ORDERS = "orders_2026-01-01"

OPERATIONS = {op.name: op for op in (
    # Orders API 2026-01-01 model: searchOrders (rate 0.0056/s, burst 20)
    Operation("searchOrders", _ORDERS, "GET", "/orders/2026-01-01/orders", UsagePlan("searchOrders", 0.0056, 20),
              arrays={"fulfillmentStatuses": None, "marketplaceIds": 50, "fulfilledBy": None, "includedData": None},
              enums={"fulfillmentStatuses": FULFILLMENT_STATUSES, "fulfilledBy": FULFILLED_BY,
                     "includedData": INCLUDED_DATA},
              result_key="orders", page_token="paginationToken", next_token_path=("pagination", "nextToken"),
              out_schema="order.json"),
    # Orders API 2026-01-01 model: getOrder (rate 0.5/s, burst 30); every item comes inside the order
    Operation("getOrder", _ORDERS, "GET", "/orders/2026-01-01/orders/{orderId}", UsagePlan("getOrder", 0.5, 30),
              arrays={"includedData": None}, enums={"includedData": INCLUDED_DATA},
              result_key="order", out_schema="order.json"),
)}


def operation(name):
    try:
        return OPERATIONS[name]
    except KeyError:
        raise ValueError(f"unknown SP-API operation {name!r}") from None
