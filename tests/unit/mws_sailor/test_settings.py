"""Reading ELASTICIO_* the way the Node sailor does (sailor-nodejs lib/settings.js)."""

import math

import pytest

from mws_sailor.settings import (REQUIRED_ALWAYS, REQUIRED_FOR_MESSAGES, Settings, SettingsError, header_name_for,
                                 parse_boolean, parse_integer)

from testkit.runtime import Topology


def full_env(**overrides):
    env = Topology().env("amqp://guest:guest@127.0.0.1:5699/", "http://api", "echo", "/tmp/ledger")
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


@pytest.mark.parametrize("name", REQUIRED_ALWAYS + REQUIRED_FOR_MESSAGES)
def test_a_missing_required_variable_is_named(name):
    for value in (None, ""):
        with pytest.raises(SettingsError, match=f"^ELASTICIO_{name} is missing$"):
            Settings.from_env(full_env(**{f"ELASTICIO_{name}": value}))


def test_the_shutdown_hook_needs_no_broker_settings():
    env = {k: v for k, v in full_env(ELASTICIO_HOOK_SHUTDOWN="1").items()
           if k.removeprefix("ELASTICIO_") not in REQUIRED_FOR_MESSAGES}
    assert Settings.from_env(env).hook_shutdown is True


def test_defaults():
    s = Settings.from_env(full_env())
    assert (s.rebound_initial_expiration, s.rebound_limit, s.rabbitmq_prefetch_sailor) == (15000, 20, 1)
    assert (s.data_rate_limit, s.error_rate_limit, s.snapshot_rate_limit, s.rate_interval) == (10, 2, 2, 100)
    assert s.amqp_publish_retry_attempts == math.inf and s.amqp_publish_max_retry_delay == 300000
    assert s.outgoing_message_size_limit == 10485760 and s.protocol_version == 1
    assert s.amqp_persistent_messages is False and s.process_amqp_drain is True
    assert s.input_format == "default" and s.flow_type is None


@pytest.mark.parametrize("raw, expected", [(None, 7), ("12", 12), ("12abc", 12), (" 5", 5), ("abc", 7), ("0", 7),
                                           ("-3", -3), ("", 7)])
def test_integers_parse_like_parse_int_and_zero_means_default(raw, expected):
    assert parse_integer(raw, 7) == expected


@pytest.mark.parametrize("raw, default, expected", [(None, True, True), (None, False, False), ("", True, False),
                                                    ("false", True, False), ("true", False, True),
                                                    ("0", False, True), ("no", False, True)])
def test_booleans(raw, default, expected):
    assert parse_boolean(raw, default) is expected


def test_additional_headers_are_camel_cased_without_the_prefix():
    s = Settings.from_env(full_env(ELASTICIO_ADDITIONAL_VARS_FOR_HEADERS="ELASTICIO_TENANT_ID, ELASTICIO_API_REGION,"
                                                                         "ELASTICIO_UNSET_ONE",
                                   ELASTICIO_TENANT_ID="t-1", ELASTICIO_API_REGION="eu"))
    assert s.additional_headers == {"tenantId": "t-1", "apiRegion": "eu"}
    assert header_name_for("ELASTICIO_TASK_USER_EMAIL") == "taskUserEmail"


def test_iv_must_be_16_bytes():
    with pytest.raises(SettingsError, match="16 bytes"):
        Settings.from_env(full_env(ELASTICIO_MESSAGE_CRYPTO_IV="short"))


def test_log_context_has_ids_but_no_personal_data():
    s = Settings.from_env(full_env(ELASTICIO_TASK_USER_EMAIL="someone@example.com", ELASTICIO_TENANT_ID="t"))
    assert s.log_context["flowId"] == s.flow_id and s.log_context["tenantId"] == "t"
    assert "someone@example.com" not in s.log_context.values()
