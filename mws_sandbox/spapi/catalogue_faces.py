"""What the Feeds, Listings Items and Product Type Definitions faces keep, built once per SP-API face.

    documents, listings, feeds = build_catalogue_faces(clock=..., store=..., catalogue=..., seller_id=...)

`catalogue` is the MWS sandbox's Catalogue (the one its feeds change); a face built without one gets an
empty catalogue of its own.
"""

from ..feeds.catalogue import Catalogue
from .documents import Documents
from .feeds import SpFeeds
from .listing_submissions import Listings


def build_catalogue_faces(*, clock, store, catalogue, seller_id, processing_seconds=30.0, seed=1):
    catalogue = Catalogue() if catalogue is None else catalogue
    documents = Documents(clock)
    listings = Listings(catalogue, clock, seller_id)
    feeds = SpFeeds(seller_id=seller_id, catalogue=catalogue, store=store, documents=documents, listings=listings,
                    processing_seconds=processing_seconds, seed=seed)
    return documents, listings, feeds
