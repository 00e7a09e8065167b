"""Get Feed Submission Status: where a submitted feed is (GetFeedSubmissionList by id).

The body needs only feedSubmissionId; other fields (a whole Submit action's answer, say)
are ignored, logged at debug.
"""

from .. import schemas
from ..account import open_account
from ..credentials import credentials_from_cfg
from ..function import body_of, message
from ..inputs import step_fields

STEP_FIELDS = ()


def process(ctx, msg, cfg, snapshot=None):
    step_fields(cfg, STEP_FIELDS)
    body = schemas.check_known("feedSubmissionId.in.json", body_of(msg), getattr(ctx, "logger", None))
    account = open_account(credentials_from_cfg(cfg))
    return message(account.feed_status(body["feedSubmissionId"]))
