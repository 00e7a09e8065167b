"""Header rules of the Node.js sailor 2.7.8 (elastic.io sailor-nodejs: lib/amqp.js headers, passthrough, error messages).

Pure functions: no AMQP, no I/O, so each rule can be tested on its own.
"""

import traceback
import uuid

META_PREFIX = "x-eio-meta-"
ROUTING_KEY_HEADER = "x-eio-routing-key"
STACK_NOT_AVAILABLE = "Not Available"


def read_incoming_headers(amqp_headers):
    """The part of an incoming message's AMQP headers the sailor carries forward."""
    amqp_headers = amqp_headers or {}
    headers = {
        "messageId": amqp_headers.get("messageId"),
        "parentMessageId": amqp_headers.get("parentMessageId"),
        "threadId": amqp_headers.get("threadId") or _trace_id(amqp_headers) or str(uuid.uuid4()),
    }
    if amqp_headers.get("stepId"):
        headers["stepId"] = amqp_headers["stepId"]
    for name, value in amqp_headers.items():
        if name.lower().startswith(META_PREFIX):
            headers[name.lower()] = value
    if amqp_headers.get("reply_to"):
        headers["reply_to"] = amqp_headers["reply_to"]
    return {k: v for k, v in headers.items() if v is not None}


def _trace_id(amqp_headers):
    for name, value in amqp_headers.items():
        if name.lower() == META_PREFIX + "trace-id":
            return value
    return None


def outgoing_headers(settings, incoming, message_id, start_ms):
    """Headers common to every emit of one incoming message; later keys override earlier ones."""
    headers = {
        **incoming,
        **settings.additional_headers,
        "parentMessageId": incoming.get("messageId"),
        "threadId": incoming.get("threadId"),
        "messageId": message_id,
        "execId": settings.exec_id,
        "taskId": settings.flow_id,
        "workspaceId": settings.workspace_id,
        "containerId": settings.container_id,
        "userId": settings.user_id,
        "stepId": settings.step_id,
        "compId": settings.comp_id,
        "function": settings.function,
        "start": start_ms,
    }
    return {k: v for k, v in headers.items() if v is not None}


def protocol_version_of(amqp_headers):
    value = (amqp_headers or {}).get("protocolVersion")
    try:
        return int(value) if value is not None else 1
    except (TypeError, ValueError):
        return 1


def next_rebound_iteration(amqp_headers):
    """1, or the previous numeric reboundIteration + 1 (a non-number restarts at 1)."""
    previous = (amqp_headers or {}).get("reboundIteration")
    if isinstance(previous, (int, float)) and not isinstance(previous, bool) and previous:
        return int(previous) + 1
    return 1


def rebound_expiration_ms(iteration, initial_expiration_ms):
    return (2 ** (iteration - 1)) * initial_expiration_ms


def error_record(error):
    """What a function (or the runtime) emitted as an error, as {name, message, stack} plus "field"
    when the error names the input field at fault: the one error shape of the runtime and of
    `mws-component run`.

    An exception's stack is its traceback, except for an error that names the input field
    at fault: the field, not the code, is where to look (and its message says what is wrong).
    Those, an exception never raised and a non-exception value have "Not Available".
    """
    if isinstance(error, BaseException):
        record = {"name": type(error).__name__, "message": str(error)}
        field = getattr(error, "field", None)
        if error.__traceback__ is not None and not field:
            stack = "".join(traceback.format_exception(type(error), error, error.__traceback__)).rstrip()
        else:
            stack = ""
    elif isinstance(error, dict):
        record = {"name": str(error.get("name") or "Error"), "message": str(error.get("message", ""))}
        field, stack = error.get("field"), str(error.get("stack") or "")
    else:
        record, field, stack = {"name": "Error", "message": str(error)}, None, ""
    if field:
        record["field"] = str(field)
    record["stack"] = stack or STACK_NOT_AVAILABLE
    return record


def rebound_reason(reason):
    if isinstance(reason, BaseException):
        return str(reason)
    if isinstance(reason, dict):
        return str(reason.get("message", ""))
    return str(reason)


def as_message(payload):
    """A data payload as a message dict: anything without "body" becomes {"body": payload}.

    A shallow copy (with its own headers dict): the runtime only changes those two
    levels, and the message is serialised before `emit` returns.
    """
    message = dict(payload) if isinstance(payload, dict) and "body" in payload else {"body": payload}
    if isinstance(message.get("headers"), dict):
        message["headers"] = dict(message["headers"])
    return message


def pop_routing_key(message):
    """Remove x-eio-routing-key (any case) from the message's headers and return its value."""
    headers = message.get("headers")
    if not isinstance(headers, dict):
        return None
    for name in list(headers):
        if name.lower() == ROUTING_KEY_HEADER:
            return headers.pop(name)
    return None


def with_passthrough(message, incoming_payload, incoming_headers, settings, is_passthrough):
    """Add the passthrough of a passthrough step (as sailor-nodejs lib/sailor.js builds it)."""
    if not is_passthrough:
        return message
    previous = dict(incoming_payload.get("passthrough") or {})
    if settings.no_self_passtrhough:
        incoming_step = incoming_headers.get("stepId")
        if incoming_step:
            own = {k: v for k, v in incoming_payload.items() if k != "passthrough"}
            message["passthrough"] = {**previous, incoming_step: own}
        return message
    own = {k: v for k, v in message.items() if k != "passthrough"}
    message["passthrough"] = {**previous, settings.step_id: own}
    return message
