"""Raises: the runtime emits the error and rejects the input."""


class OrderRejected(Exception):
    pass


def process(ctx, msg, cfg, snapshot):
    raise OrderRejected(f"cannot handle {msg['body'].get('what', 'this')}")
