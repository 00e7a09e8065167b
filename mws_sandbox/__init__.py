"""An MWS-compatible HTTP server for demos and integration tests (Amazon switched MWS off in 2024).

    from mws_sandbox import Sandbox, FaultConfig
    with Sandbox(seed=1, orders=200, quotas=False, feed_processing_seconds=30) as sb:
        sb.url, sb.credentials          # where and how to connect (Orders and Feeds)
        sb.clock.advance(150)           # move server time (two-minute rule, feed processing)
        sb.store.tick(5)                # orders change; sb.store.versions() records each state
        sb.catalogue["SKU-01000"]       # a product as feeds left it (quantity, price, images, ...)
        sb.feeds.select(lambda s: True) # feed submissions, newest first, with status and report
        sb.process_feeds()              # apply feeds due by now without making a request
        sb.faults = FaultConfig(throttle=0.2, md5_mismatch=0.5, seed=7)
        sb.requests.count(action="ListOrders", status=200)

Modules, one job each: server (HTTP and faults), gateway (parameters,
routing, auth, quotas), auth (SigV2), params, router, orders (the Orders
section's rules), orders_xml and xmlresponses (documents), store, datagen,
markets and models (data), clock, quotas, faults, tokens, requestlog, cli.
Feeds: feeds (the section's operations), feeds_xml, feed_submissions
(statuses over server time), feed_processing (one feed: envelope, messages,
report), feed_envelope, feed_values, listing_messages and order_messages
(the rules of each message type), feed_results (result codes),
processing_report, feed_types, catalogue.
"""

from .faults import FaultConfig
from .models import OrderVersion
from .router import SectionRoute
from .sandbox import Sandbox

__all__ = ["Sandbox", "FaultConfig", "OrderVersion", "SectionRoute"]
