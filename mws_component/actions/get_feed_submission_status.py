"""Get Feed Submission Status: where a submitted feed is (GetFeedSubmissionList by id).

The body needs only feedSubmissionId; other fields (a whole Submit action's answer, say)
are ignored, logged at debug.
"""

from .. import feed_submissions, schemas
from ..client import client_from_cfg
from ..function import body_of, message
from ..inputs import step_fields

STEP_FIELDS = ()


def process(ctx, msg, cfg, snapshot=None):
    step_fields(cfg, STEP_FIELDS)
    body = schemas.check_known("feedSubmissionId.in.json", body_of(msg), getattr(ctx, "logger", None))
    client = client_from_cfg(cfg)
    return message(feed_submissions.status(client, body["feedSubmissionId"]))
