"""An MWS-compatible HTTP server for demos and integration tests (Amazon switched MWS off in 2024).

    from mws_sandbox import Sandbox, FaultConfig
    with Sandbox(seed=1, orders=200, quotas=False) as sb:
        sb.url, sb.credentials          # where and how to connect
        sb.clock.advance(150)           # move server time (two-minute rule)
        sb.store.tick(5)                # orders change; sb.store.versions() records each state
        sb.faults = FaultConfig(throttle=0.2, seed=7)
        sb.requests.count(action="ListOrders", status=200)

Modules, one job each: server (HTTP and faults), gateway (parameters,
routing, auth, quotas), auth (SigV2), params, router, orders (the Orders
section's rules), orders_xml and xmlresponses (documents), store, datagen,
markets and models (data), clock, quotas, faults, tokens, requestlog, cli.
"""

from .faults import FaultConfig
from .models import OrderVersion
from .router import SectionRoute
from .sandbox import Sandbox

__all__ = ["Sandbox", "FaultConfig", "OrderVersion", "SectionRoute"]
