"""`mws-component run`: whatever the files hold, the answer is error events, never a traceback.

Each class of bad JSON (too deep, not an object, an integer of thousands of
digits, not JSON) in the message and in the cfg, through a real `mws-component
run` process, for every function of component.json and verifyCredentials.
The input is refused before any function runs, so no endpoint is needed.
"""

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from mws_sailor.inputs import MAX_DEPTH, MAX_INTEGER_DIGITS
from testkit.runtime import ROOT

MANIFEST = json.loads((ROOT / "component.json").read_text(encoding="utf-8"))
FUNCTIONS = sorted([*MANIFEST["triggers"], *MANIFEST["actions"]]) + ["verifyCredentials"]
GOOD_CFG = {"accessKeyId": "AKIAEXAMPLE", "secretAccessKey": "not-used", "sellerId": "A1SELLER",
            "marketplaceId": "ATVPDKIKX0DER", "endpoint": "http://127.0.0.1:9"}
GOOD_MSG = {"body": {}}


def nested(levels):
    return '{"a":' * levels + "1" + "}" * levels


def with_long_integer(prefix, digits=5000):
    return prefix.replace("N", "9" * digits)


# class -> (cfg text, msg text, expected field, words of the message)
CASES = {
    "deep msg": (json.dumps(GOOD_CFG), '{"body":' + nested(1000) + "}", "msg",
                 f"msg is nested more than {MAX_DEPTH} levels deep"),
    "deep cfg": (nested(1000), json.dumps(GOOD_MSG), "cfg", f"cfg is nested more than {MAX_DEPTH} levels deep"),
    "msg a list": (json.dumps(GOOD_CFG), "[1, 2]", "msg", "msg must be a JSON object, not a list"),
    "msg a string": (json.dumps(GOOD_CFG), '"body"', "msg", "msg must be a JSON object, not a string"),
    "cfg a list": ('[{"sellerId": "A1"}]', json.dumps(GOOD_MSG), "cfg", "cfg must be a JSON object, not a list"),
    "cfg a string": ('"cfg"', json.dumps(GOOD_MSG), "cfg", "cfg must be a JSON object, not a string"),
    "long integer in msg": (json.dumps(GOOD_CFG), with_long_integer('{"body": {"items": [{"quantity": N}]}}'),
                            "msg.body.items[0].quantity",
                            f"an integer of 5,000 digits; at most {MAX_INTEGER_DIGITS} digits are accepted"),
    "long integer in cfg": (with_long_integer('{"maxResultsPerPage": -N}'), json.dumps(GOOD_MSG),
                            "cfg.maxResultsPerPage", "an integer of 5,000 digits"),
    "msg not JSON": (json.dumps(GOOD_CFG), '{"body": NaN}', "msg", "msg is not JSON: NaN is not a JSON value"),
}


def run(tmp_path, function, cfg_text, msg_text):
    folder = tmp_path / function
    folder.mkdir()
    (folder / "cfg.json").write_text(cfg_text, encoding="utf-8")
    (folder / "msg.json").write_text(msg_text, encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "mws_tools.cli", "run", function, "--cfg", str(folder / "cfg.json"),
                           "--msg", str(folder / "msg.json")], capture_output=True, text=True, timeout=120, cwd=ROOT)


@pytest.mark.parametrize("case", list(CASES))
def test_bad_json_is_one_error_event_for_every_function(tmp_path, case):
    cfg_text, msg_text, field, words = CASES[case]
    with ThreadPoolExecutor(3) as pool:
        results = dict(zip(FUNCTIONS, pool.map(lambda f: run(tmp_path, f, cfg_text, msg_text), FUNCTIONS)))
    for function, result in results.items():
        assert "Traceback" not in result.stderr, (function, result.stderr[-2000:])
        assert result.returncode == 1, (function, result.returncode, result.stderr[-2000:])
        [line] = result.stdout.splitlines()
        event = json.loads(line)
        assert event["event"] == "error", (function, event)
        error = event["error"]
        assert error["name"] == "InputError" and error["field"] == field, (function, error)
        assert words in error["message"], (function, error)
        assert len(line) < 1000, function  # the value is not echoed back


def test_files_that_cannot_be_read_are_error_events_too(tmp_path):
    (tmp_path / "cfg.json").write_bytes(b"\xff\xfe not text")
    missing = subprocess.run([sys.executable, "-m", "mws_tools.cli", "run", "getOrder", "--cfg",
                              str(tmp_path / "nowhere.json")], capture_output=True, text=True, timeout=60, cwd=ROOT)
    binary = subprocess.run([sys.executable, "-m", "mws_tools.cli", "run", "getOrder", "--cfg",
                             str(tmp_path / "cfg.json")], capture_output=True, text=True, timeout=60, cwd=ROOT)
    for result, words in ((missing, "No such file or directory"), (binary, "cfg is not UTF-8 text")):
        assert result.returncode == 1 and "Traceback" not in result.stderr
        [event] = [json.loads(line) for line in result.stdout.splitlines()]
        assert event["error"]["field"] == "cfg" and words in event["error"]["message"], event


def test_an_unknown_function_is_one_plain_error(tmp_path):
    (tmp_path / "cfg.json").write_text("{}")
    result = subprocess.run([sys.executable, "-m", "mws_tools.cli", "run", "listOrder", "--cfg",
                             str(tmp_path / "cfg.json")], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    [event] = [json.loads(line) for line in result.stdout.splitlines()]
    assert event["error"]["name"] == "ComponentError"
    assert event["error"]["message"].startswith(
        "Trigger or action 'listOrder' is not found in component.json! Known: acknowledgeOrder, ")
    assert '"' not in event["error"]["message"]  # no doubled quotes of a KeyError
