"""The runtime's settings, read from the ELASTICIO_* environment like the Node.js sailor 2.7.8.

Parsing follows the Node sailor's `lib/settings.js`: a required
variable that is unset or empty stops the runtime with "ELASTICIO_<NAME> is missing";
integers keep their default when the value is not numeric or is zero; booleans keep
their default when unset, are false when empty or "false", true otherwise.
"""

import math
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

PREFIX = "ELASTICIO_"

REQUIRED_ALWAYS = (
    "FLOW_ID", "EXEC_ID", "STEP_ID", "CONTAINER_ID", "WORKSPACE_ID", "USER_ID",
    "COMP_ID", "FUNCTION", "API_URI", "API_USERNAME", "API_KEY",
)
# Not needed when the process only runs the shutdown hook.
REQUIRED_FOR_MESSAGES = (
    "AMQP_URI", "LISTEN_MESSAGES_ON", "PUBLISH_MESSAGES_TO", "DATA_ROUTING_KEY",
    "ERROR_ROUTING_KEY", "REBOUND_ROUTING_KEY", "SNAPSHOT_ROUTING_KEY",
    "MESSAGE_CRYPTO_IV", "MESSAGE_CRYPTO_PASSWORD",
)

INTEGER_DEFAULTS = {
    "REBOUND_INITIAL_EXPIRATION": 15000,
    "REBOUND_LIMIT": 20,
    "RABBITMQ_PREFETCH_SAILOR": 1,
    "API_REQUEST_RETRY_ATTEMPTS": 3,
    "API_REQUEST_RETRY_DELAY": 100,
    "DATA_RATE_LIMIT": 10,
    "ERROR_RATE_LIMIT": 2,
    "SNAPSHOT_RATE_LIMIT": 2,
    "RATE_INTERVAL": 100,
    "AMQP_PUBLISH_RETRY_DELAY": 100,
    "AMQP_PUBLISH_RETRY_ATTEMPTS": math.inf,
    "AMQP_PUBLISH_MAX_RETRY_DELAY": 300000,
    "OUTGOING_MESSAGE_SIZE_LIMIT": 10485760,
    "PROTOCOL_VERSION": 1,
    "OBJECT_STORAGE_SIZE_THRESHOLD": 1048576,
    "AMQP_RECONNECT_ATTEMPTS": 3,
    "AMQP_RECONNECT_TIMEOUT": 100,
    "WAIT_MESSAGES_TIMEOUT": 50,
}
BOOLEAN_DEFAULTS = {
    "STARTUP_REQUIRED": False,
    "HOOK_SHUTDOWN": False,
    "PROCESS_AMQP_DRAIN": True,
    "AMQP_PERSISTENT_MESSAGES": False,
    "NO_SELF_PASSTRHOUGH": False,  # sic: the platform's spelling
    "NO_ERROR_REPLIES": False,
    "EMIT_LIGHTWEIGHT_MESSAGE": False,
}
STRING_DEFAULTS = {
    "COMPONENT_PATH": "",
    "INPUT_FORMAT": "default",
    "OBJECT_STORAGE_URI": None,
    "OBJECT_STORAGE_TOKEN": None,
    "FLOW_TYPE": None,
}

_LEADING_INTEGER = re.compile(r"\s*([+-]?\d+)")


class SettingsError(Exception):
    """A required variable is missing or a value cannot be used."""


def parse_integer(raw, default):
    """JavaScript's parseInt, then the sailor's rule: NaN or 0 means the default."""
    if raw is None:
        return default
    match = _LEADING_INTEGER.match(raw)
    value = int(match.group(1)) if match else 0
    return value or default


def parse_boolean(raw, default):
    if raw is None:
        return default
    return raw not in ("", "false")


def header_name_for(variable):
    """ELASTICIO_TENANT_ID -> tenantId (lodash camelCase of the name without the prefix)."""
    words = [w for w in re.split(r"[^A-Za-z0-9]+", variable.removeprefix(PREFIX)) if w]
    return "".join(w.lower() if i == 0 else w.capitalize() for i, w in enumerate(words))


@dataclass(frozen=True)
class Settings:
    """Everything the message loop reads from its environment."""

    flow_id: str
    exec_id: str
    step_id: str
    container_id: str
    workspace_id: str
    user_id: str
    comp_id: str
    function: str
    api_uri: str
    api_username: str
    api_key: str
    amqp_uri: str | None = None
    listen_messages_on: str | None = None
    publish_messages_to: str | None = None
    data_routing_key: str | None = None
    error_routing_key: str | None = None
    rebound_routing_key: str | None = None
    snapshot_routing_key: str | None = None
    message_crypto_iv: str | None = None
    message_crypto_password: str | None = None
    rebound_initial_expiration: int = 15000
    rebound_limit: int = 20
    rabbitmq_prefetch_sailor: int = 1
    api_request_retry_attempts: int = 3
    api_request_retry_delay: int = 100
    data_rate_limit: int = 10
    error_rate_limit: int = 2
    snapshot_rate_limit: int = 2
    rate_interval: int = 100
    amqp_publish_retry_delay: int = 100
    amqp_publish_retry_attempts: float = math.inf
    amqp_publish_max_retry_delay: int = 300000
    outgoing_message_size_limit: int = 10485760
    protocol_version: int = 1
    object_storage_size_threshold: int = 1048576
    amqp_reconnect_attempts: int = 3
    amqp_reconnect_timeout: int = 100
    wait_messages_timeout: int = 50
    startup_required: bool = False
    hook_shutdown: bool = False
    process_amqp_drain: bool = True
    amqp_persistent_messages: bool = False
    no_self_passtrhough: bool = False
    no_error_replies: bool = False
    emit_lightweight_message: bool = False
    component_path: str = ""
    input_format: str = "default"
    object_storage_uri: str | None = None
    object_storage_token: str | None = None
    flow_type: str | None = None
    # Header name -> value, from ELASTICIO_ADDITIONAL_VARS_FOR_HEADERS.
    additional_headers: dict = field(default_factory=dict)
    # Logging context only (the other ELASTICIO_* variables the platform sets).
    log_context: dict = field(default_factory=dict)
    # This runtime's own: where the crash-safety ledger lives (see ledger.py).
    ledger_dir: str = ""

    @property
    def component_root(self):
        return Path(self.component_path or os.getcwd()).resolve()

    @classmethod
    def from_env(cls, env=None):
        env = dict(os.environ if env is None else env)
        hook_shutdown = parse_boolean(env.get(PREFIX + "HOOK_SHUTDOWN"), False)
        required = REQUIRED_ALWAYS + (() if hook_shutdown else REQUIRED_FOR_MESSAGES)
        values = {}
        for name in required:
            value = env.get(PREFIX + name)
            if not value:
                raise SettingsError(f"{PREFIX}{name} is missing")
            values[name.lower()] = value
        for name in REQUIRED_FOR_MESSAGES:
            values.setdefault(name.lower(), env.get(PREFIX + name) or None)
        for name, default in INTEGER_DEFAULTS.items():
            values[name.lower()] = parse_integer(env.get(PREFIX + name), default)
        for name, default in BOOLEAN_DEFAULTS.items():
            values[name.lower()] = parse_boolean(env.get(PREFIX + name), default)
        for name, default in STRING_DEFAULTS.items():
            values[name.lower()] = env.get(PREFIX + name) or default
        if values["message_crypto_iv"] and len(values["message_crypto_iv"].encode("utf-8")) != 16:
            raise SettingsError(f"{PREFIX}MESSAGE_CRYPTO_IV must be 16 bytes long")
        values["additional_headers"] = _additional_headers(env)
        values["log_context"] = log_context_from_env(env)
        values["ledger_dir"] = env.get("MWS_SAILOR_LEDGER_DIR") or str(
            Path(tempfile.gettempdir()) / "mws-sailor-ledger" / _safe(values["flow_id"]) / _safe(values["step_id"]))
        return cls(**values)


def _additional_headers(env):
    names = env.get(PREFIX + "ADDITIONAL_VARS_FOR_HEADERS") or ""
    headers = {}
    for name in filter(None, (n.strip() for n in re.split(r"[ ,]+", names))):
        value = env.get(name, env.get(PREFIX + name))
        if value is not None:
            headers[header_name_for(name)] = value
    return headers


_LOG_CONTEXT_VARIABLES = {
    "FLOW_ID": "flowId", "STEP_ID": "stepId", "EXEC_ID": "execId", "COMP_ID": "compId",
    "FUNCTION": "function", "CONTAINER_ID": "containerId", "WORKSPACE_ID": "workspaceId",
    "USER_ID": "userId", "COMP_NAME": "compName", "CONTRACT_ID": "contractId",
    "EXEC_TYPE": "execType", "EXECUTION_RESULT_ID": "executionResultId",
    "FLOW_VERSION": "flowVersion", "TENANT_ID": "tenantId",
}


def log_context_from_env(env):
    # TASK_USER_EMAIL is left out on purpose: personal data has no place in logs.
    return {key: env[PREFIX + name] for name, key in _LOG_CONTEXT_VARIABLES.items() if env.get(PREFIX + name)}


def _safe(text):
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text)
