"""Feeds: submissions over server time, the processing of one feed, and the MWS face's Feeds section.

Shared by any face: catalogue (products by SKU, as feeds leave them),
submissions (statuses over server time), processing (one feed: envelope,
messages, report), envelope, values, listing_messages and order_messages
(the rules of each message type), results (result codes), report,
feed_types. The MWS face's part: section (the Feeds API 2009-01-01
operations) and submission_info (its FeedSubmissionInfo element).
"""
