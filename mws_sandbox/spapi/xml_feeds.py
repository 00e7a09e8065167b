"""The XML feeds of SP-API through the MWS sandbox's own feed processing (the one place that imports it).

SP-API's XML order feeds are MWS's (Feeds API 2021-06-30: "Feed Type Values"; the envelope and XSDs of
MWS): POST_ORDER_FULFILLMENT_DATA is MWS's _POST_ORDER_FULFILLMENT_DATA_, processed by the same
FeedProcessor over the same order store and catalogue, with the same XML processing report. The legacy
listings feed types are no longer processed since 2025-07-31 ("Listings Feed Type Values"): their report
is one whole-document error in the same XML report shape.
"""

from dataclasses import replace

from ..feeds.processing import FeedProcessor, Report
from ..feeds.results import Outcome
from ..feeds.feed_types import FEED_TYPES
from ..feeds.report import xml_report
from .issues import LEGACY_FEED

XML_CONTENT_TYPE = "text/xml"


def mws_feed_type(feed_type):
    """MWS's name of an SP-API feed type it processes (_POST_..._DATA_), or None."""
    name = f"_{feed_type}_"
    return name if name in FEED_TYPES else None


class XmlFeeds:
    def __init__(self, catalogue, store):
        self._processor = FeedProcessor(catalogue, store)

    def process(self, submission, now_ms):
        """(report bytes, content type): the MWS processing of the submission, under its MWS feed type."""
        report = self._processor.process(replace(submission, feed_type=mws_feed_type(submission.feed_type)), now_ms)
        return report.body, report.content_type

    @staticmethod
    def legacy_report(submission):
        outcome = Outcome.whole_document(
            LEGACY_FEED, f"The feed type {submission.feed_type} is no longer supported: XML and flat-file listings "
                         "feeds are not processed since 2025-07-31. Submit listings data with the Listings Items "
                         "API or the JSON_LISTINGS_FEED feed type.")
        report = Report.of(xml_report(submission.seller_id, submission.submission_id, outcome), XML_CONTENT_TYPE)
        return report.body, report.content_type


__all__ = ["XmlFeeds", "mws_feed_type", "XML_CONTENT_TYPE"]
