"""Emits the events named in the body's "emit" list, in order."""


def process(ctx, msg, cfg, snapshot):
    for event in msg["body"].get("emit", []):
        name, payload = event["event"], event.get("payload")
        ctx.emit(name, payload)
    if msg["body"].get("raiseAfter"):
        raise RuntimeError("failed after emitting")
    return msg["body"].get("return")
