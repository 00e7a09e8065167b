"""The seller-account seam: what the functions ask of a seller's Amazon account.

Functions read as: check input -> ask the account -> map -> emit, and never
know which Amazon API answers. `open_account(credentials)` picks the
implementation for the credentials' API (`credentials.api`): MWS
(mws/account.py) or SP-API (spapi/account.py).

    credentials = credentials_from_cfg(cfg)          # credentials.py: checked, or ConfigurationError
    account = open_account(credentials)
    for page in account.orders_updated(after=..., before=..., statuses=[...], marketplace_ids=[...], page_size=100):
        ...

Errors: ConfigurationError/InputError (bad input, nothing sent), ApiError (Amazon answered an
error; `.outcome_kind == "throttled"` is a real server throttle), QuotaExhausted (our own quota
for the seller is used up until `.retry_after`), TransportError, ResponseError,
PageTokenRefused (orders_updated's `resume` is no longer accepted), FeedNotReady (feed_report).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import ContextManager, Iterator, Protocol

from .endpoint import ENDPOINTS
from .settings import time_scale as configured_time_scale


@dataclass
class OrdersPage:
    orders: list  # the orders as JSON (order.json)
    next_token: str | None  # where the listing goes on; None on its last page
    before: datetime | None  # the window's upper bound the server used (echoed), else the one asked for


class SellerAccount(Protocol):
    api: str  # "mws" | "spapi"
    marketplace_id: str
    seller_id: str
    knows_server_time: bool
    max_marketplaces: int  # how many marketplace ids one orders_updated takes

    def server_now(self) -> datetime: ...

    def orders_updated(self, *, after: datetime, before: datetime | None, statuses: list, marketplace_ids: list,
                       page_size: int, resume: str | None = None, deadline: float | None = None
                       ) -> Iterator[OrdersPage]:
        """Orders last updated in [after, before) page by page (before None: the server bounds the window),
        following the page cursor; `resume` continues from a page's next_token; `deadline` (monotonic)
        bounds every wait. statuses are the MWS names the trigger's form offers; each API maps them."""

    def order_items(self, amazon_order_id: str) -> list: ...  # every item, all pages

    def orders_by_id(self, ids: list) -> tuple: ...  # (found, notFound)

    def verify(self) -> None: ...  # one cheap call; raises

    def submit_feed(self, request, *, deadline=None) -> dict: ...
    # {feedSubmissionId, feedType, feedProcessingStatus, submittedDate, messageCount}

    def feed_status(self, feed_id: str) -> dict: ...

    def feed_report(self, feed_id: str) -> ContextManager[Iterator[tuple]]: ...
    # ("header", {...}) then ("result", {...})*


def open_account(credentials, *, endpoints=ENDPOINTS, time_scale=None, retry=None):
    """The seller's account for checked credentials (credentials.credentials_from_cfg)."""
    scale = configured_time_scale() if time_scale is None else time_scale
    if credentials.api == "mws":
        from .mws.account import MwsAccount
        return MwsAccount.open(credentials, endpoints=endpoints, time_scale=scale, retry=retry)
    if credentials.api == "spapi":
        from .spapi.account import open_spapi_account
        return open_spapi_account(credentials, endpoints=endpoints, time_scale=scale, retry=retry)
    raise ValueError(f"no account for the {credentials.api!r} API")
