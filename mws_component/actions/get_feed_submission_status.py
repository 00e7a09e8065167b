"""Get Feed Submission Status: where a submitted feed is."""

from .. import schemas
from ..account import open_account
from ..credentials import credentials_from_cfg
from ..function import body_of, message


def process(ctx, msg, cfg, snapshot=None):
    body = schemas.check("feedSubmissionId.in.json", body_of(msg))
    account = open_account(credentials_from_cfg(cfg))
    return message(account.feed_status(body["feedSubmissionId"]))
