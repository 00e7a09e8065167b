"""The Sandbox: an MWS-compatible HTTP server with its data, clock, quotas and faults, in one object.

It builds the services (clock, order store, catalogue, feed submissions,
quotas, tokens, request log) once, then each face from the services that
face needs, and registers the faces with the router (see router.py).
"""

import logging
import random
import threading

from .auth import Account
from .clock import SandboxClock, datetime_to_ms
from .faults import FaultConfig, FaultInjector
from .feeds.catalogue import Catalogue
from .feeds.processing import FeedProcessor
from .feeds.section import feeds_route
from .feeds.submissions import FeedSubmissions
from .gateway import MwsFace
from .orders.markets import MARKETS
from .orders.section import orders_route
from .orders.store import OrderStore
from .quotas import QuotaBook
from .requestlog import RequestLog
from .router import Router
from .server import SandboxHTTPServer
from .spapi import SpApiFace
from .tokens import TokenCodec

log = logging.getLogger(__name__)

DEFAULT_ACCESS_KEY = "AKIAMWSSANDBOX000001"
DEFAULT_SECRET_KEY = "mws-sandbox/secret+key=0000000000000000"
DEFAULT_SELLER_ID = "A1SANDBOXSELLER"
DEFAULT_MARKETPLACE_ID = "ATVPDKIKX0DER"  # US
# SubmitFeed: "must be below 2 GiB" (Feeds_SubmitFeed); a smaller limit tests a client's splitting.
DEFAULT_MAX_FEED_BYTES = 2**31 - 1


class Sandbox:
    """MWS Orders and Feeds endpoints on loopback; see the package docstring for the whole API.

    `orders`: how many orders to generate from `seed`. `time_scale`: quota
    restore speed-up. `quotas=False` turns throttling off. `faults`: a
    FaultConfig (off by default). `change_interval`: seconds between automatic
    `store.tick()` calls (None: only when called). `auth_token`: None accepts
    any or no MWSAuthToken; a value must then be sent. `start_time`: server
    time at construction (default: real now), which also pins the data's dates.
    `feed_processing_seconds`: server time from SubmitFeed to _DONE_ (half
    _SUBMITTED_, half _IN_PROGRESS_; feeds of one type one after another).
    `max_feed_bytes`: the largest request body accepted. `spapi_region`: the SP-API face's default
    region (default: marketplace_id's). `token_lifetime`: LWA access tokens' lifetime in seconds.
    """

    def __init__(self, seed=1, orders=200, *, time_scale=1.0, access_key=DEFAULT_ACCESS_KEY,
                 secret_key=DEFAULT_SECRET_KEY, seller_id=DEFAULT_SELLER_ID, auth_token=None,
                 marketplace_id=DEFAULT_MARKETPLACE_ID, faults=None, quotas=True, change_interval=None,
                 items_page_size=5, host="127.0.0.1", port=0, start_time=None, feed_processing_seconds=30.0,
                 max_feed_bytes=DEFAULT_MAX_FEED_BYTES, spapi_region=None, token_lifetime=3600):
        registered = tuple(m.marketplace_id for m in MARKETS)
        if marketplace_id not in registered:
            raise ValueError(f"marketplace_id must be one the sandbox seller is registered in: {registered}")
        if items_page_size < 1:
            raise ValueError("items_page_size must be at least 1")
        if orders < 0:
            raise ValueError("orders must not be negative")
        if change_interval is not None and change_interval <= 0:
            raise ValueError("change_interval must be positive (or None for no automatic changes)")
        if max_feed_bytes < 1:
            raise ValueError("max_feed_bytes must be positive")
        self.seed = seed
        self.host = host
        self.port = port
        self.marketplace_id = marketplace_id
        self.items_page_size = items_page_size
        self.change_interval = change_interval
        self.max_feed_bytes = max_feed_bytes
        self.clock = SandboxClock(start_time=start_time)
        self.store = OrderStore(self.clock, seed=seed, orders=orders, seller_id=seller_id,
                                anchor_ms=None if start_time is None else datetime_to_ms(start_time))
        self.catalogue = Catalogue.seeded(self.store.products, seed)
        self.feeds = FeedSubmissions(FeedProcessor(self.catalogue, self.store).process,
                                     processing_seconds=feed_processing_seconds, seed=seed)
        self.quotas = QuotaBook(self.clock, time_scale=time_scale, enabled=quotas)
        self.fault_injector = FaultInjector(faults or FaultConfig())
        self.tokens = TokenCodec()
        self.requests = RequestLog()
        self.account = Account(access_key, secret_key, seller_id, auth_token, registered)
        # The faces. A face is built from the services it uses and registered with the router.
        mws = MwsFace((orders_route(self.store, self.tokens, items_page_size), feeds_route(self.feeds, self.tokens)),
                      {access_key: self.account}, self.quotas, self.clock,
                      catch_up=self.feeds.catch_up, max_body_bytes=max_feed_bytes)
        self.router = Router(fallback=mws)  # a path no face serves gets MWS's 404
        self.spapi = SpApiFace(store=self.store, clock=self.clock, requests=self.requests, faults=self.fault_injector,
                               catch_up=self.process_feeds, seller_id=seller_id, marketplace_id=marketplace_id,
                               region=spapi_region, quotas=quotas, time_scale=time_scale, token_lifetime=token_lifetime,
                               catalogue=self.catalogue, feed_processing_seconds=feed_processing_seconds, seed=seed)
        self.router.add(self.spapi)  # asked first: its paths are lower case (/orders/2026-01-01, /auth/o2/token)
        self.router.add(mws)
        self._server = None
        self._threads = []
        self._stopping = threading.Event()

    # -- configuration at runtime --------------------------------------------------------
    @property
    def faults(self):
        return self.fault_injector.config

    @faults.setter
    def faults(self, config):
        """Replace the fault configuration; its seed restarts the fault sequence."""
        self.fault_injector.config = config or FaultConfig()

    def process_feeds(self):
        """Move feeds along to the current server time: starts, completions, their changes.

        Every request does this first; call it to see `catalogue` or `store`
        after `clock.advance()` without making a request.
        """
        now_ms = self.clock.now_ms()
        self.feeds.catch_up(now_ms)
        self.spapi.feeds.catch_up(now_ms)  # SP-API feeds change the same orders and catalogue

    # -- lifecycle ------------------------------------------------------------------------
    def start(self):
        if self._server is not None:
            return self
        self._stopping.clear()
        self._server = SandboxHTTPServer(self.host, self.port, router=self.router, clock=self.clock,
                                         requests=self.requests, fault_injector=self.fault_injector,
                                         max_body_bytes=self.max_feed_bytes)
        self.port = self._server.server_address[1]
        # A short poll interval makes stop() quick (it waits for the serve loop to notice).
        self._spawn("mws-sandbox-http", lambda: self._server.serve_forever(poll_interval=0.05))
        if self.change_interval:
            self._spawn("mws-sandbox-ticker", self._tick_forever)
        log.info("MWS sandbox listening on %s", self.url)
        return self

    def stop(self):
        if self._server is None:
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads = []
        self._server = None

    def wait(self):
        """Block until `stop()` is called from another thread."""
        self._stopping.wait()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def _spawn(self, name, target):
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _tick_forever(self):
        # The ticker's own generator: how many changes per tick, and whether they share one stamp.
        rng = random.Random(f"mws-sandbox-ticker-{self.seed}")
        while not self._stopping.wait(self.change_interval):
            self.store.tick(rng.randint(1, 3), shared_timestamp=rng.random() < 0.2)

    # -- what clients need ----------------------------------------------------------------
    @property
    def url(self):
        if self._server is None:
            raise RuntimeError("the sandbox is not started")
        # A wildcard bind is reached locally through loopback.
        host = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}.get(self.host, self.host)
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}"

    @property
    def credentials(self):
        """The component's credential fields (cfg) for this sandbox."""
        creds = {"accessKeyId": self.account.access_key, "secretAccessKey": self.account.secret_key,
                 "sellerId": self.account.seller_id, "marketplaceId": self.marketplace_id, "endpoint": self.url}
        if self.account.auth_token is not None:
            creds["mwsAuthToken"] = self.account.auth_token
        return creds

    @property
    def spapi_credentials(self):
        """The component's SP-API cfg fields for this sandbox (LWA app, refresh token, endpoints)."""
        return self.spapi.credentials(self.url)

    def __repr__(self):
        state = self.url if self._server else "stopped"
        return f"<Sandbox seed={self.seed} orders={len(self.store)} {state}>"
