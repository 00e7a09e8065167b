"""What every function module shares: messages, and the flow type."""

import os
import uuid

# Namespace of the stable ids given to emitted messages (uuid5), so a
# downstream step can drop a repeat of the same order version.
MESSAGE_ID_NAMESPACE = uuid.UUID("6f1c7c1e-3c55-5b8e-9d0a-4d3a0e2b8a11")


def message(body, id=None, headers=None):
    """A platform message: {"id", "body", "headers", "attachments"}.

    Without an id none is invented: the runtime then derives the outgoing messageId
    from the incoming message and the content (mws_sailor/ledger.py), so a message
    processed again after a crash gives the same messageId and its ledger entry
    matches. A random id here made every retry a new message.
    """
    made = {"body": body, "headers": dict(headers or {}), "attachments": {}}
    if id:
        made["id"] = id
    return made


def stable_id(*parts):
    return str(uuid.uuid5(MESSAGE_ID_NAMESPACE, "|".join(map(str, parts))))


def is_sample_retrieval(ctx):
    """The platform sets ELASTICIO_FLOW_TYPE=debug while it fetches a sample for the mapper."""
    flow_type = getattr(ctx, "flow_type", None) or os.environ.get("ELASTICIO_FLOW_TYPE")
    return flow_type == "debug"


def body_of(msg):
    body = (msg or {}).get("body")
    return {} if body is None else body
