"""Emits an error whose message differs on every run (as an MWS error carries its request id),
then, on the first run, works for a while: a test kills it there.

Body: {"marker": path, "sleep": seconds}; every run appends a line to the marker file.
"""

import os
import time
import uuid


def process(ctx, msg, cfg, snapshot):
    body = msg["body"]
    ctx.emit("error", {"name": "InvalidParameterValue",
                       "message": f"Invalid AmazonOrderId (request id {uuid.uuid4()})"})
    marker = body["marker"]
    first_run = not os.path.exists(marker)
    with open(marker, "a", encoding="utf-8") as fh:
        fh.write("run\n")
    if first_run:
        time.sleep(float(body.get("sleep", 0)))
