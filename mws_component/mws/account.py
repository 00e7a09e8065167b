"""The seller's account when MWS answers: the seam's operations as MWS calls.

Every method is a few lines over the Orders and Feeds sections (orders.py,
feeds.py) of one MwsClient; the functions never see the client, only this.
"""

from contextlib import contextmanager
from datetime import timedelta

from .. import account
from ..errors import ApiError, ConfigurationError, FeedNotReady
from ..times import timestamp
from . import feeds, orders
from .client import MwsClient, next_token
from .operations import operation


class MwsAccount:
    api = "mws"

    def __init__(self, credentials, client):
        self.credentials = credentials
        self.client = client
        self.seller_id = credentials.seller_id
        self.marketplace_id = credentials.marketplace_id

    @classmethod
    def open(cls, credentials, *, endpoints, time_scale, retry=None):
        return cls(credentials, MwsClient(credentials, endpoints=endpoints, time_scale=time_scale, retry=retry))

    def __repr__(self):
        return f"MwsAccount({self.credentials!r})"

    # -- time ---------------------------------------------------------------

    def server_now(self):
        return self.client.server_now()

    @property
    def knows_server_time(self):
        return self.client.knows_server_time

    # -- orders -------------------------------------------------------------

    @property
    def max_marketplaces(self):
        """How many marketplaces one listing of updated orders takes (MarketplaceId.Id.N)."""
        return operation("ListOrders").limit("MarketplaceId")

    def orders_updated(self, *, after, before, statuses, marketplace_ids, page_size, resume=None, deadline=None):
        for result, bound in orders.updated_pages(self.client, after=after, before=before, statuses=statuses,
                                                  marketplace_ids=marketplace_ids, page_size=page_size,
                                                  resume=resume, deadline=deadline):
            yield account.OrdersPage(orders.orders_of(result), next_token(result), bound)

    def order_items(self, amazon_order_id):
        return orders.list_order_items(self.client, amazon_order_id)

    def orders_by_id(self, ids):
        return orders.get_orders(self.client, ids)

    def verify(self):
        """One cheap signed call: ListOrders with one result per page checks the access key, the
        secret (the signature), the seller id and auth token, and that the seller sells in the
        chosen marketplace."""
        since = self.server_now() - timedelta(days=1)
        self.client.call("ListOrders", MarketplaceId=[self.marketplace_id], CreatedAfter=timestamp(since),
                         MaxResultsPerPage=1)

    # -- feeds --------------------------------------------------------------

    def submit_feed(self, request, *, deadline=None):
        return feeds.submit(self.client, request, deadline=deadline)

    def feed_status(self, feed_id):
        return feeds.status(self.client, feed_id)

    @contextmanager
    def feed_report(self, feed_id):
        """The feed's processing report, downloaded (Content-MD5 checked) and read as it streams:
        ("header", {...}) then ("result", {...}) for each result. FeedNotReady while Amazon is
        still processing the feed."""
        try:
            report = feeds.download_report(self.client, feed_id)
        except ApiError as exc:
            if exc.code == "FeedProcessingResultNotReady":
                raise FeedNotReady(f"feed {feed_id} is not processed yet: {exc.message}") from None
            if exc.code == "InvalidFeedSubmissionId":  # told as Get Feed Submission Status tells it
                raise feeds.unknown_submission(feed_id) from None
            raise
        with report:
            yield feeds.read_report(report)

    # -- product types: SP-API only ------------------------------------------

    def product_types(self, keywords=None, *, deadline=None):
        raise ConfigurationError("productType: product types need SP-API credentials; on MWS a product is "
                                 "given by its category", field="productType")

    def product_type_definition(self, product_type, requirements="LISTING", *, deadline=None):
        raise ConfigurationError("productType: product type definitions need SP-API credentials; on MWS a "
                                 "product is given by its category", field="productType")
