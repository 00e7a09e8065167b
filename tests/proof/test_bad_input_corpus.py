"""Every function refuses bad input with an error naming the field (and item), and sends nothing.

The corpus (bad_inputs.py) spans every function of component.json and the
credentials; the sandbox counts the requests it sees, which must stay 0.
"""

import json

import pytest

from mws_sandbox import Sandbox
from mws_tools.runner import LocalContext, load_manifest, run_function

from .bad_inputs import CORPUS, STEP_FIELDS


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox(seed=4, orders=5) as sb:
        yield sb


def cfg_for(sandbox, function, overrides):
    cfg = dict(sandbox.credentials) | STEP_FIELDS[function]
    for name, value in overrides.items():
        if value is None:
            cfg.pop(name, None)
        else:
            cfg[name] = value
    return cfg


def test_the_corpus_covers_every_function_with_at_least_200_inputs():
    manifest = load_manifest()
    functions = set(manifest["triggers"]) | set(manifest["actions"])
    assert functions == set(STEP_FIELDS)
    assert {case["function"] for case in CORPUS} == functions
    assert len(CORPUS) >= 200


@pytest.mark.parametrize("case", CORPUS, ids=[f"{n}-{c['function']}-{c['field']}" for n, c in enumerate(CORPUS)])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_sent(sandbox, case):
    sent_before = len(sandbox.requests)
    ctx = LocalContext(out=None, flow_type="ordinary")
    run_function(case["function"], cfg_for(sandbox, case["function"], case["cfg"]), {"body": case["body"]}, {},
                 ctx=ctx)
    assert [e["event"] for e in ctx.events] == ["error"], ctx.events[:3]
    error = ctx.events[0]["error"]
    assert error["name"] in ("InputError", "ConfigurationError"), error
    assert error.get("field") == case["field"], error
    assert case["field"] in error["message"]
    assert len(json.dumps(error)) < 2000  # a 10 MB value is not echoed back
    assert len(sandbox.requests) == sent_before, [r.action for r in sandbox.requests.snapshot()[sent_before:]]


def test_the_sandbox_saw_no_request_across_the_whole_corpus(sandbox):
    """Runs after the corpus (pytest keeps the module's order)."""
    assert len(sandbox.requests) == 0
