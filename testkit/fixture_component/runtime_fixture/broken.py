"""Cannot be imported: every message gets the import error."""

import runtime_fixture_missing_dependency  # noqa: F401


def process(ctx, msg, cfg, snapshot):
    return msg
