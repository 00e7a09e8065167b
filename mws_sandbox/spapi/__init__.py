"""The sandbox's SP-API face: Login with Amazon and the Orders API 2026-01-01 over the sandbox's store.

    face = SpApiFace(store=store, clock=clock, requests=request_log, faults=fault_injector)
    face.handles("/orders/2026-01-01/orders")   # True: the HTTP handler hands the request to face.serve
    face.credentials("http://127.0.0.1:8080")   # the component's SP-API cfg for this sandbox

Modules: face (routing, faults, tokens, usage plans, headers, request log), lwa (the token endpoint),
orders (searchOrders, getOrder as rows), render (an order in the 2026-01-01 shape), pagetokens, limits,
errors, tables (regions, marketplaces, usage plans and value spellings, from Amazon's documentation).
Feeds, Listings Items and Product Type Definitions: registry (every operation as a row, with its usage
plan), feeds (Feeds API 2021-06-30), documents (feed documents and their S3-like URLs), listings_feed
(JSON_LISTINGS_FEED), xml_feeds (the XML feeds through the MWS feed processing), listings (Listings Items
API 2021-08-01), listing_submissions (what a listings write does to the catalogue), catalogue_bridge
(attributes and the MWS catalogue fields), product_type_definitions and meta_schema (Product Type
Definitions API 2020-09-01, Amazon's meta-schema keywords), product_types/ (the sandbox's own product type
schemas), issues (issue codes).
It imports nothing from mws_component.
"""

from .face import SpApiAnswer, SpApiFace
from .lwa import LwaApp

__all__ = ["SpApiFace", "SpApiAnswer", "LwaApp"]
