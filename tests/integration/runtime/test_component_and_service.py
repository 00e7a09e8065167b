"""Loading functions from component.json, and the service calls of serve.sh (sailor-nodejs lib/service.js)."""

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mws_sailor.component import Component, ComponentError, module_name_for
from mws_sailor.service import run_service, split_credentials

from testkit.runtime import FIXTURE_COMPONENT, ROOT


@pytest.mark.parametrize("main, name", [("./mws_component/triggers/list_orders.py", "mws_component.triggers.list_orders"),
                                        ("lib/x.py", "lib.x")])
def test_module_names(main, name):
    assert module_name_for(main) == name


@pytest.mark.parametrize("main", ["./lib/x.js", "../outside.py", "/abs/path.py", "./bad-name/x.py", ".py"])
def test_bad_main_paths_are_refused(main):
    with pytest.raises(ComponentError):
        module_name_for(main)


def test_functions_and_verify_module_are_found():
    component = Component(FIXTURE_COMPONENT)
    assert component.load_function("echo").__name__ == "runtime_fixture.echo"
    assert component.load_verify_credentials().__name__ == "runtime_fixture.verify"
    with pytest.raises(ComponentError, match="Trigger or action 'nope' is not found in component.json!"):
        component.load_function("nope")


def test_verify_credentials_is_the_module_component_json_names_and_nothing_else(tmp_path):
    # A package name of its own: importing a second "mws_component" would replace the real one.
    package = tmp_path / "vc_fixture"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "verify_credentials.py").write_text("def verify(cfg):\n    return {'verified': True}\n")
    (package / "check.py").write_text("def verify(cfg):\n    return {'verified': False}\n")
    # A module where a convention would look is not used unless component.json names it.
    (tmp_path / "component.json").write_text(json.dumps({"actions": {}}))
    assert Component(tmp_path).load_verify_credentials() is None
    (tmp_path / "component.json").write_text(json.dumps({"verifyCredentials": "./vc_fixture/check.py", "actions": {}}))
    assert Component(tmp_path).load_verify_credentials().__file__.endswith("vc_fixture/check.py")


def test_the_real_component_names_its_verify_module():
    descriptor = json.loads((ROOT / "component.json").read_text())
    module = Component(ROOT).load_verify_credentials()
    assert module is not None and callable(module.verify)
    assert Path(module.__file__).resolve() == (ROOT / descriptor["verifyCredentials"]).resolve()


def test_an_unknown_function_is_named_with_the_known_ones():
    with pytest.raises(ComponentError) as caught:
        Component(FIXTURE_COMPONENT).load_function("nope")
    assert str(caught.value).startswith("Trigger or action 'nope' is not found in component.json! Known: big, broken,")


# -- service calls ---------------------------------------------------------------------------

def service_env(platform_api, cfg, **extra):
    return {"ELASTICIO_POST_RESULT_URL": platform_api.uri.replace("http://", "http://svc-user:svc%20pass@")
            + "/results/1", "ELASTICIO_CFG": json.dumps(cfg), "ELASTICIO_COMPONENT_PATH": str(FIXTURE_COMPONENT),
            **extra}


def posted(platform_api):
    [result] = platform_api.results
    return result["body"]


def test_verify_credentials_through_serve_sh(platform_api):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ELASTICIO_")}
    env.update(service_env(platform_api, {"apiSecret": "good"}))
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    result = subprocess.run(["sh", str(ROOT / "docker" / "serve.sh"), "verifyCredentials"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert posted(platform_api) == {"status": "success", "data": {"verified": True}}
    # Credentials embedded in the URL travel as a Basic Authorization header, never in logs.
    assert platform_api.results[0]["authorization"] == "Basic " + base64.b64encode(b"svc-user:svc pass").decode()
    assert "svc pass" not in result.stdout + result.stderr and "good" not in result.stdout + result.stderr


@pytest.mark.parametrize("secret, data", [
    ("bad", {"verified": False, "reason": "wrong secret"}),
    ("explode", {"verified": False, "reason": "the account is locked"}),  # raised: still a successful call
])
def test_failed_verification_is_a_successful_call(platform_api, secret, data):
    assert run_service("verifyCredentials", service_env(platform_api, {"apiSecret": secret})) == 0
    assert posted(platform_api) == {"status": "success", "data": data}


def test_get_meta_model(platform_api):
    env = service_env(platform_api, {"kind": "b"}, ELASTICIO_ACTION_OR_TRIGGER="echo")
    assert run_service("getMetaModel", env) == 0
    assert posted(platform_api)["data"]["in"]["properties"]["kind"]["title"] == "b"


def test_select_model(platform_api):
    env = service_env(platform_api, {}, ELASTICIO_ACTION_OR_TRIGGER="echo", ELASTICIO_GET_MODEL_METHOD="kinds")
    assert run_service("selectModel", env) == 0
    assert posted(platform_api) == {"status": "success", "data": {"a": "Kind A", "b": "Kind B"}}


@pytest.mark.parametrize("method, extra, message", [
    ("selectModel", {"ELASTICIO_ACTION_OR_TRIGGER": "echo"}, "ELASTICIO_GET_MODEL_METHOD is missing"),
    ("selectModel", {"ELASTICIO_ACTION_OR_TRIGGER": "echo", "ELASTICIO_GET_MODEL_METHOD": "failingModel"},
     "model source unavailable"),
    ("selectModel", {"ELASTICIO_ACTION_OR_TRIGGER": "echo", "ELASTICIO_GET_MODEL_METHOD": "nothing"},
     "Method nothing is not found"),
    ("getMetaModel", {}, "ELASTICIO_ACTION_OR_TRIGGER is missing"),
    ("getMetaModel", {"ELASTICIO_ACTION_OR_TRIGGER": "fail"}, "Method getMetaModel is not found"),
    ("dance", {}, "Unknown service method 'dance'"),
])
def test_failures_are_posted_as_errors(platform_api, method, extra, message):
    assert run_service(method, service_env(platform_api, {}, **extra)) == 0
    result = posted(platform_api)
    assert result["status"] == "error" and message in result["data"]["message"]


def test_bad_cfg_is_an_error(platform_api):
    env = service_env(platform_api, {})
    env["ELASTICIO_CFG"] = "{not json"
    assert run_service("verifyCredentials", env) == 0
    assert posted(platform_api)["status"] == "error"


def test_the_result_post_must_be_answered_200(platform_api):
    platform_api.result_status = 500
    assert run_service("verifyCredentials", service_env(platform_api, {"apiSecret": "good"})) == 1


def test_without_a_result_url_the_call_fails():
    assert run_service("verifyCredentials", {"ELASTICIO_CFG": "{}"}) == 1


def test_split_credentials():
    assert split_credentials("https://u:p%40ss@host:8443/x?y=1") == ("https://host:8443/x?y=1", ("u", "p@ss"))
    assert split_credentials("https://host/x") == ("https://host/x", None)
