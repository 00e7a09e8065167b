"""The MWS face's Feeds API section (2009-01-01), with Amazon's parameter rules (Feeds_SubmitFeed,
Feeds_GetFeedSubmissionList, Feeds_GetFeedSubmissionCount, Feeds_CancelFeedSubmissions,
Feeds_GetFeedSubmissionResult).

`feeds_route(submissions, tokens)` builds the section's handlers from the
services they use: the feed submissions and the NextToken codec.

Semantics where Amazon's pages are silent:
- Lists are newest first (by FeedSubmissionId, which increases with time);
  NextToken is a keyset token (the query and the last id served), so pages
  neither repeat nor skip while new feeds arrive.
- FeedSubmissionIdList overrides every other filter and MaxCount too: the
  listed submissions (at most 100) come in one page. Unknown ids are left out.
- SubmittedFromDate and SubmittedToDate are both inclusive.
- SubmitFeed checks, in order: FeedType, MarketplaceIdList (required for
  image feeds: 400 InvalidParameterValue without it, since the images could
  not be published), PurgeAndReplace, the Content-MD5, then a non-empty body.
  A body over the sandbox's size limit is refused by the MWS face (gateway).
"""

import base64
import hashlib

from ..apierror import ApiError, invalid
from ..gateway import Answer, SectionRoute
from ..tables import FEEDS
from .feed_types import CANCELLED, DONE, FEED_TYPES, NEEDS_MARKETPLACE_LIST, PROCESSING_STATUSES
from .submission_info import add_submission_info

DAY_MS = 86_400_000
LIST_WINDOW_MS = 90 * DAY_MS  # GetFeedSubmissionList/Count: SubmittedFromDate defaults to 90 days ago
CANCEL_WINDOW_MS = 180 * DAY_MS  # CancelFeedSubmissions: to 180 days ago


def feeds_route(submissions, tokens):
    handlers = FeedsHandlers(submissions, tokens)
    return SectionRoute(FEEDS, {
        "SubmitFeed": handlers.submit_feed,
        "GetFeedSubmissionList": handlers.get_feed_submission_list,
        "GetFeedSubmissionListByNextToken": handlers.get_feed_submission_list_by_next_token,
        "GetFeedSubmissionCount": handlers.get_feed_submission_count,
        "CancelFeedSubmissions": handlers.cancel_feed_submissions,
        "GetFeedSubmissionResult": handlers.get_feed_submission_result,
    }, accepts_root_path=True)


class FeedsHandlers:
    def __init__(self, submissions, tokens):
        self.submissions = submissions  # submissions.FeedSubmissions
        self.tokens = tokens

    # -- SubmitFeed -------------------------------------------------------------------------
    def submit_feed(self, call):
        p = call.params
        feed_type = p.require("FeedType")
        if feed_type not in FEED_TYPES:
            raise ApiError("InvalidFeedType", f"Invalid FeedType [{feed_type}]: not a feed type this API accepts")
        marketplace_ids = call.marketplace_ids("MarketplaceIdList", required=False)
        if feed_type in NEEDS_MARKETPLACE_LIST and not marketplace_ids:
            raise invalid(f"The request must contain the parameter MarketplaceIdList.Id.1: it is required for "
                          f"FeedType {feed_type}, without it the images cannot be published")
        purge_and_replace = read_boolean(p, "PurgeAndReplace")
        content = call.http.body
        check_content_md5(call, content)
        if not content:
            raise invalid("The request must contain the feed: FeedContent goes in the request body")
        submission = self.submissions.submit(call.account.seller_id, feed_type, content, call.now_ms,
                                             content_type=call.http.content_type,
                                             marketplace_ids=tuple(marketplace_ids),
                                             purge_and_replace=purge_and_replace)
        return call.respond(lambda b, result: add_submission_info(b, result, submission))

    # -- GetFeedSubmissionList / ByNextToken ------------------------------------------------
    def get_feed_submission_list(self, call):
        query = read_query(call, window_ms=LIST_WINDOW_MS)
        query["size"] = call.params.integer("MaxCount", low=1, high=100, default=10)
        return self.submission_page(call, query, last_id=None)

    def get_feed_submission_list_by_next_token(self, call):
        payload = self.tokens.decode("GetFeedSubmissionList", call.params.require("NextToken"))
        if payload["q"]["seller"] != call.account.seller_id:
            raise invalid("Invalid NextToken: the token was issued to another seller")
        return self.submission_page(call, payload["q"], last_id=payload["last"])

    def submission_page(self, call, query, last_id):
        matches = submission_filter(query)
        rows = self.submissions.select(lambda s: matches(s) and (last_id is None or int(s.submission_id) < last_id))
        page = rows if query["ids"] else rows[:query["size"]]
        has_next = len(rows) > len(page)
        token = None
        if has_next:
            token = self.tokens.encode("GetFeedSubmissionList", {"q": query, "last": int(page[-1].submission_id)})

        def fill(b, result):
            b.text(result, "NextToken", token)
            b.text(result, "HasNext", has_next)
            for submission in page:
                add_submission_info(b, result, submission)
        return call.respond(fill)

    # -- GetFeedSubmissionCount -------------------------------------------------------------
    def get_feed_submission_count(self, call):
        query = read_query(call, window_ms=LIST_WINDOW_MS)
        count = len(self.submissions.select(submission_filter(query)))
        return call.respond(lambda b, result: b.text(result, "Count", count))

    # -- CancelFeedSubmissions --------------------------------------------------------------
    def cancel_feed_submissions(self, call):
        """Cancels the matching submissions still _SUBMITTED_; started ones go on."""
        query = read_query(call, window_ms=CANCEL_WINDOW_MS)
        cancelled = self.submissions.cancel(submission_filter(query))

        def fill(b, result):
            b.text(result, "Count", len(cancelled))
            for submission in cancelled:
                add_submission_info(b, result, submission)
        return call.respond(fill)

    # -- GetFeedSubmissionResult ------------------------------------------------------------
    def get_feed_submission_result(self, call):
        """The body is the processing report itself, with its Content-MD5 (Feeds_GetFeedSubmissionResult)."""
        submission_id = call.params.require("FeedSubmissionId")
        submission = self.submissions.get(submission_id)
        if submission is None or submission.seller_id != call.account.seller_id:
            raise ApiError("InvalidFeedSubmissionId", f"Invalid FeedSubmissionId [{submission_id}]: "
                                                      "no such feed submission for this seller")
        if submission.status == CANCELLED:
            raise ApiError("FeedCanceled",
                           f"Feed Submission {submission_id} was cancelled; it has no processing report")
        if submission.status != DONE:
            raise ApiError("FeedProcessingResultNotReady",
                           f"Feed Submission Result is not ready for Feed Submission Id: {submission_id}")
        report = submission.report
        return Answer(report.body, report.content_type, {"Content-MD5": report.content_md5})


def read_boolean(p, name):
    value = p.get(name, "false")
    if value not in ("true", "false"):
        raise invalid(f"Invalid {name} [{value}]: must be true or false")
    return value == "true"


def check_content_md5(call, content):
    """ContentMD5Value is the signed parameter; Amazon still read the older Content-MD5 header."""
    signed = call.params.get("ContentMD5Value")
    header = call.http.headers.get("content-md5")
    if not signed and not header:
        raise ApiError("ContentMD5Missing", "The Content-MD5 of the feed is missing: send the ContentMD5Value "
                                            "parameter, the base64 of the MD5 digest of the request body.")
    actual = base64.b64encode(hashlib.md5(content).digest()).decode("ascii")
    for given in (signed, header):
        if given and given.strip() != actual:
            raise ApiError("ContentMD5DoesNotMatch", f"The Content-MD5 HTTP header you passed for your feed "
                                                     f"({given}) did not match the Content-MD5 we calculated for "
                                                     f"your feed ({actual})")


# -- shared query parameters ----------------------------------------------------------------

def read_query(call, *, window_ms):
    """The filters the operation takes, as plain data (it travels inside NextTokens).

    Which lists an operation reads is its table row's: GetFeedSubmissionCount
    takes no id list, CancelFeedSubmissions no status list.
    """
    p = call.params
    lists = call.operation.lists
    ids = call.list("FeedSubmissionIdList") if "FeedSubmissionIdList" in lists else []
    types = call.list("FeedTypeList")
    for feed_type in types:
        if feed_type not in FEED_TYPES:
            raise invalid(f"Invalid FeedTypeList.Type value [{feed_type}]: not a feed type")
    statuses = (call.list("FeedProcessingStatusList", allowed=PROCESSING_STATUSES)
                if "FeedProcessingStatusList" in lists else [])
    earliest = p.datetime_ms("SubmittedFromDate")
    latest = p.datetime_ms("SubmittedToDate")
    earliest = call.now_ms - window_ms if earliest is None else earliest
    latest = call.now_ms if latest is None else latest
    if earliest > latest:
        raise invalid(f"SubmittedFromDate [{p.get('SubmittedFromDate')}] cannot be after "
                      f"SubmittedToDate [{p.get('SubmittedToDate')}]")
    return {"seller": call.account.seller_id, "ids": ids or None, "types": types or None,
            "statuses": statuses or None, "from": earliest, "to": latest}


def submission_filter(q):
    ids = set(q["ids"] or ())

    def matches(s):
        if s.seller_id != q["seller"]:
            return False
        if ids:  # listed ids override every other filter
            return s.submission_id in ids
        return ((q["types"] is None or s.feed_type in q["types"])
                and (q["statuses"] is None or s.status in q["statuses"])
                and q["from"] <= s.submitted_ms <= q["to"])
    return matches

