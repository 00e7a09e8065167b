"""Returns a body of `size` characters: over the size limit, the runtime must refuse it."""


def process(ctx, msg, cfg, snapshot):
    return {"blob": "x" * int(msg["body"]["size"])}
