"""Get Feed Submission Status: where a submitted feed is (GetFeedSubmissionList by id)."""

from .. import feed_submissions, schemas
from ..client import client_from_cfg
from ..function import body_of, message


def process(ctx, msg, cfg, snapshot=None):
    body = schemas.check("feedSubmissionId.in.json", body_of(msg))
    client = client_from_cfg(cfg)
    return message(feed_submissions.status(client, body["feedSubmissionId"]))
