"""Does nothing: the message is simply acknowledged."""


def process(ctx, msg, cfg, snapshot):
    return None
