"""The benchmark's no-op: returns the incoming body unchanged, so the runtime emits it as data."""


def process(ctx, msg, cfg, snapshot):
    return msg["body"]
