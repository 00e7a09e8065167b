"""Every function refuses bad input with an error naming the field (and item), and sends nothing.

The corpus (bad_inputs.py) spans every function of component.json and the
credentials; the sandbox counts the requests it sees, which must stay 0.
"""

import json

import pytest

from mws_sandbox import Sandbox
from mws_tools.runner import LocalContext, load_manifest, run_function

from .bad_inputs import (CORPUS, MWS_ONLY_FIELDS, NEW_CLASSES, SPAPI_CORPUS, SPAPI_CREDENTIAL_CASES,
                         SPAPI_ONLY_CASES, STEP_FIELDS, STEP_FIELD_VIEWS, REQUIRED_STEP_FIELDS, TIME_FIELDS)


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox(seed=4, orders=5) as sb:
        yield sb


def cfg_for(sandbox, function, overrides, api="mws"):
    # An MWS cfg as the credentials form saves it now, with its api (without one, a cfg lacking an
    # accessKeyId is read as SP-API, and the missing-key cases would be about lwaClientId)
    base = dict(sandbox.credentials, api="mws") if api == "mws" else dict(sandbox.spapi_credentials)
    cfg = base | STEP_FIELDS[function]
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


def test_the_new_classes_reach_every_function_they_apply_to():
    """Every step field of every function gets the wrong-type class, every required one the missing class,
    and every function with step fields or items the case and time classes where it has such fields."""
    fields_tried = {(c["function"], f) for c in NEW_CLASSES for f in c["cfg"]}
    assert fields_tried >= {(fn, f) for fn, views in STEP_FIELD_VIEWS.items() for f in views}
    missing_tried = {(c["function"], c["field"]) for c in NEW_CLASSES if any(v is None or v == "" for v in c["cfg"].values())}
    assert missing_tried >= {(fn, f) for fn, fields in REQUIRED_STEP_FIELDS.items() for f in fields}
    assert {fn for fn, *_ in TIME_FIELDS} == {"listOrders", "submitInventory", "confirmShipment", "changeProductPrice"}
    feed_functions = {fn for fn, views in STEP_FIELD_VIEWS.items() if fn.startswith(("submit", "change", "establish",
                                                                                      "acknowledge", "confirm"))}
    assert {c["function"] for c in NEW_CLASSES if c.get("says") and "did you mean" in c["says"]} >= feed_functions


def _ids(corpus, api):
    return [f"{api}-{n}-{c['function']}-{c['field']}" for n, c in enumerate(corpus)]


@pytest.mark.parametrize("api, case", [("mws", c) for c in CORPUS] + [("spapi", c) for c in SPAPI_CORPUS],
                         ids=_ids(CORPUS, "mws") + _ids(SPAPI_CORPUS, "spapi"))
def test_bad_input_is_refused_naming_the_field_and_nothing_is_sent(sandbox, api, case):
    """Every case with MWS credentials, and with SP-API ones (not even a token grant is made)."""
    sent_before = len(sandbox.requests)
    ctx = LocalContext(out=None, flow_type="ordinary")
    run_function(case["function"], cfg_for(sandbox, case["function"], case["cfg"], api), {"body": case["body"]}, {},
                 ctx=ctx)
    assert [e["event"] for e in ctx.events] == ["error"], ctx.events[:3]
    error = ctx.events[0]["error"]
    assert error["name"] in ("InputError", "ConfigurationError"), error
    assert error.get("field") == case["field"], error
    assert error["message"].startswith(case["field"] + ": "), error  # the one form: "<field>: <what is wrong>"
    if case.get("says"):
        assert case["says"] in error["message"], error
    assert "Traceback" not in error["message"]
    assert len(json.dumps(error)) < 2000  # a 10 MB value is not echoed back
    assert len(sandbox.requests) == sent_before, [r.action for r in sandbox.requests.snapshot()[sent_before:]]


def test_the_spapi_corpus_is_every_case_but_the_mws_only_fields_and_the_spapi_credentials():
    product = ("submitProduct", "submitProductFromPayload")  # their SP-API input differs (see bad_inputs.py)
    assert len(SPAPI_CORPUS) == len([c for c in CORPUS if c["field"] not in MWS_ONLY_FIELDS
                                     and c["function"] not in product]) + \
        len([c for c in SPAPI_CREDENTIAL_CASES if c["function"] not in product]) + len(SPAPI_ONLY_CASES)
    assert {c["function"] for c in SPAPI_ONLY_CASES} >= set(product)    # Submit Product's SP-API input too
    fields = {c["field"] for c in SPAPI_CREDENTIAL_CASES}
    assert fields >= {"lwaClientId", "lwaClientSecret", "refreshToken", "endpoint", "lwaEndpoint", "marketplaceId"}
    assert {c["function"] for c in SPAPI_CREDENTIAL_CASES} == set(STEP_FIELDS)  # generated for all, run for most


def test_the_sandbox_saw_no_request_across_the_whole_corpus(sandbox):
    """Runs after the corpus (pytest keeps the module's order)."""
    assert len(sandbox.requests) == 0
