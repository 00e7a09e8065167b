"""Get Feed Submission Result: the processing report of a finished feed, parsed.

While Amazon is still processing the feed the message is rebounded: the
platform brings it back later, and nothing blocks or fails meanwhile. The
report is streamed from disk; a large one is emitted in parts of
RESULTS_PER_MESSAGE results, each with the summary.
"""

from .. import errors, schemas
from ..account import open_account
from ..credentials import credentials_from_cfg
from ..function import body_of, message, stable_id
from ..inputs import step_fields

RESULTS_PER_MESSAGE = 1000  # keeps each message far below the platform's 10 MB
STEP_FIELDS = ()


def process(ctx, msg, cfg, snapshot=None):
    step_fields(cfg, STEP_FIELDS)
    feed_id = schemas.check_known("feedSubmissionId.in.json", body_of(msg), getattr(ctx, "logger", None))["feedSubmissionId"]
    account = open_account(credentials_from_cfg(cfg))
    try:
        with account.feed_report(feed_id) as report:
            _emit_parts(ctx, feed_id, report)
    except errors.FeedNotReady as exc:
        ctx.emit("rebound", str(exc))
    return None


def _emit_parts(ctx, feed_id, report):
    header, pending, part = {}, [], 0
    for kind, value in report:
        if kind == "header":
            header = value
        elif len(pending) == RESULTS_PER_MESSAGE:
            part += 1
            ctx.emit("data", _part(feed_id, header, pending, part, last=False))
            pending = [value]
        else:
            pending.append(value)
    ctx.emit("data", _part(feed_id, header, pending, part + 1, last=True))


def _part(feed_id, header, results, part, last):
    body = {"feedSubmissionId": feed_id, **header, "results": results}
    if part > 1 or not last:
        body |= {"part": part, "lastPart": last}
    return message(body, id=stable_id("feed-result", feed_id, part))
