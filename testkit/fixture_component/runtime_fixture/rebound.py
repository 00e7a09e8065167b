"""Always asks for the message again later."""


def process(ctx, msg, cfg, snapshot):
    ctx.emit("rebound", "Not ready yet")
