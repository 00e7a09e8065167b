"""A polling trigger that counts its ticks in the snapshot."""


def process(ctx, msg, cfg, snapshot):
    count = snapshot.get("count", 0) + 1
    ctx.emit("data", {"body": {"tick": count, "previousSnapshot": snapshot}})
    ctx.emit("snapshot", {"count": count})
    return None
