"""The Feeds section's FeedSubmissionInfo element (Feeds_Datatypes)."""

from ..clock import ms_to_datetime


def format_feed_date(ms):
    """Feeds dates as Amazon wrote them: whole seconds with a +00:00 offset (2020-06-25T12:32:14+00:00)."""
    return ms_to_datetime(ms).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def add_submission_info(b, parent, submission):
    element = b.child(parent, "FeedSubmissionInfo")
    b.text(element, "FeedSubmissionId", submission.submission_id)
    b.text(element, "FeedType", submission.feed_type)
    b.text(element, "SubmittedDate", format_feed_date(submission.submitted_ms))
    b.text(element, "FeedProcessingStatus", submission.status)
    if submission.started_ms is not None:
        b.text(element, "StartedProcessingDate", format_feed_date(submission.started_ms))
    if submission.completed_ms is not None:
        b.text(element, "CompletedProcessingDate", format_feed_date(submission.completed_ms))
    return element
