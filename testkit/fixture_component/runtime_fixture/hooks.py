"""Uses the optional hooks: startup (its result is stored by the platform), init, shutdown."""

import json

STATE = {}


def startup(cfg):
    return {"subscription": "sub-" + cfg.get("tag", "?")}


def init(cfg):
    STATE["initialised"] = cfg.get("tag")


def process(ctx, msg, cfg, snapshot):
    return {"initialised": STATE.get("initialised"), "variables": ctx.get_flow_variables()}


def shutdown(cfg, data):
    with open(cfg["shutdownMarker"], "w", encoding="utf-8") as fh:
        json.dump(data, fh)
