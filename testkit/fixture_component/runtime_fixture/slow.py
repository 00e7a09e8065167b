"""Emits a first data message, then works for a while, then returns a second one.

Body: {"n": id, "marker": path, "sleep": seconds, "alwaysSleep": bool}. Every run
appends a line to the marker file (so tests know the function has started and can
count runs); the sleep happens on the first run only unless alwaysSleep is set, so
a replacement runner finishes quickly.
"""

import os
import time


def process(ctx, msg, cfg, snapshot):
    body = msg["body"]
    ctx.emit("data", {"body": {"n": body.get("n"), "part": "first"}})
    marker = body.get("marker")
    first_run = not (marker and os.path.exists(marker))
    if marker:
        with open(marker, "a", encoding="utf-8") as fh:
            fh.write("run\n")
    if first_run or body.get("alwaysSleep"):
        time.sleep(float(body.get("sleep", 0)))
    return {"body": {"n": body.get("n"), "part": "second"}}
