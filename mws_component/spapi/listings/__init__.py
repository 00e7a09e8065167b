"""Listings on SP-API: the MWS-shaped items of the listings actions as Listings Items attributes.

- mapping.py: one table per action (rows per MWS field: where it goes, or why it is refused) and the
  mapper from a checked MWS item to ListingsMessage values (sku, operationType, productType,
  requirements, attributes or patches), each also usable as one Listings Items call (perItem mode)
- feed.py: the JSON_LISTINGS_FEED writer (streamed to a temporary file, at most 25,000 messages)
- product_types.py: product type definitions: their JSON Schema with Amazon's meta-schema keywords
  as a validator, the platform in-schema generated from them, a cache per (marketplace, type, version)
- report.py: the JSON processing report streamed into the feedSubmissionResult output, and the
  Feed's processingStatus mapped into the feedSubmissionInfo output
"""
