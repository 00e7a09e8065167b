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

Services and faces. The Sandbox owns the services (clock, orders.store,
feeds.catalogue, feeds.submissions, quotas, tokens, requestlog, faults).
A *face* is one API's way of being spoken to, built from just the services
it uses: the MWS face (gateway.MwsFace: Signature Version 2, Version,
quotas, XML answers, with the Orders and Feeds sections) is the one here.
The HTTP server (server.py) knows no API: it asks the router (router.py)
which face serves the request's path, and hands the request over. A second
face (an SP-API one, say) is an object with `name`, `serves(path)`,
`entry_points()`, `handle(http)` and `refusal(http, reason)`, registered in
`Sandbox.__init__` with `self.router.add(face)`; router.py states the
contract.

Modules. Core: sandbox, server (HTTP and faults), router (faces), clock,
quotas, faults, tokens, requestlog, cli, tables (Amazon's MWS sections,
operations, quotas, list parameters and marketplaces, written from Amazon's
documentation; the sandbox imports nothing from mws_component). The MWS
face: gateway, auth (SigV2), params, apierror, xmlresponses,
orders.section, orders.elements, feeds.section, feeds.submission_info.
Data and feed processing: the orders and feeds subpackages.
"""

from .faults import FaultConfig
from .orders.models import OrderVersion
from .sandbox import Sandbox

__all__ = ["Sandbox", "FaultConfig", "OrderVersion"]
