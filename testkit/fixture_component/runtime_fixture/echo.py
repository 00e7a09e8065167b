"""Returns the incoming body (and the step config's `tag`), so the runtime emits it as data.

A body with "routeTo" is emitted with that x-eio-routing-key header instead.
"""


def process(ctx, msg, cfg, snapshot):
    ctx.logger.info("echo called")
    body = {"echo": msg["body"], "tag": cfg.get("tag"), "flowType": ctx.flow_type, "stepId": ctx.step_id}
    if isinstance(msg["body"], dict) and msg["body"].get("routeTo"):
        ctx.emit("data", {"body": body, "headers": {"X-EIO-Routing-Key": msg["body"]["routeTo"]}})
        return None
    return body


def getMetaModel(cfg):
    return {"in": {"type": "object", "properties": {"kind": {"type": "string", "title": cfg.get("kind", "?")}}},
            "out": {"type": "object"}}


def kinds(cfg):
    return {"a": "Kind A", "b": "Kind B"}


def failingModel(cfg):
    raise RuntimeError("model source unavailable")
