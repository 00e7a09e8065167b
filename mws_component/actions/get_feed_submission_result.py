"""Get Feed Submission Result: the processing report of a finished feed, parsed.

While Amazon is still processing the feed the message is rebounded: the
platform brings it back later, and nothing blocks or fails meanwhile. The
report is streamed from disk; a large one is emitted in parts of
RESULTS_PER_MESSAGE results, each with the summary.
"""

from .. import errors, feed_submissions, schemas
from ..client import client_from_cfg
from ..function import body_of, message, stable_id
from ..inputs import step_fields

RESULTS_PER_MESSAGE = 1000  # keeps each message far below the platform's 10 MB
STEP_FIELDS = ()


def process(ctx, msg, cfg, snapshot=None):
    step_fields(cfg, STEP_FIELDS)
    body = schemas.check_known("feedSubmissionId.in.json", body_of(msg), getattr(ctx, "logger", None))
    feed_id = body["feedSubmissionId"]
    client = client_from_cfg(cfg)
    try:
        report = feed_submissions.download_report(client, feed_id)
    except errors.MwsError as exc:
        if exc.code == "FeedProcessingResultNotReady":
            ctx.emit("rebound", f"feed {feed_id} is not processed yet: {exc.message}")
            return None
        if exc.code == "InvalidFeedSubmissionId":   # as Get Feed Submission Status says it
            raise feed_submissions.unknown_submission(feed_id) from None
        raise
    with report:
        header, pending, part = {}, [], 0
        for kind, value in feed_submissions.read_report(report):
            if kind == "header":
                header = value
            elif len(pending) == RESULTS_PER_MESSAGE:
                part += 1
                ctx.emit("data", _part(feed_id, header, pending, part, last=False))
                pending = [value]
            else:
                pending.append(value)
        ctx.emit("data", _part(feed_id, header, pending, part + 1, last=True))
    return None


def _part(feed_id, header, results, part, last):
    body = {"feedSubmissionId": feed_id, **header, "results": results}
    if part > 1 or not last:
        body |= {"part": part, "lastPart": last}
    return message(body, id=stable_id("feed-result", feed_id, part))
