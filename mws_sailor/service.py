"""One-shot service calls: `mws-component serve verifyCredentials|getMetaModel|selectModel` (as sailor-nodejs runService.js and lib/service.js do them).

The result is POSTed to ELASTICIO_POST_RESULT_URL as {"status": "success", "data": ...}
or {"status": "error", "data": {"message": ...}}; basic-auth credentials embedded in
that URL are sent as an Authorization header instead. The POST must be answered
with HTTP 200, otherwise the call fails (exit code 1). ELASTICIO_POST_RESULT_URL=-
prints the result on stdout instead (this runtime's own, for local use).
"""

import copy
import json
import logging
import os
import urllib.parse

import requests

from .component import Component
from .inputs import parse_object
from .logs import SECRETS

log = logging.getLogger("mws_sailor.service")

PREFIX = "ELASTICIO_"
PRINT_RESULT = "-"
METHODS = ("verifyCredentials", "getMetaModel", "selectModel")


class ServiceError(Exception):
    pass


def verify_credentials(component, cfg):
    """A failed verification is a successful call with verified: false (elastic.io docs: "verifyCredentials")."""
    module = component.load_verify_credentials()
    if module is None:
        return {"verified": True}
    verify = getattr(module, "verify", None)
    if not callable(verify):
        raise ServiceError("the verifyCredentials module has no verify(cfg) function")
    try:
        result = verify(copy.deepcopy(cfg))
    except Exception as exc:  # the credentials are wrong, not the service
        return {"verified": False, "reason": str(exc)}
    if not isinstance(result, dict) or "verified" not in result:
        return {"verified": True}
    return {**result, "verified": bool(result["verified"])}


def get_meta_model(component, cfg, function):
    module = component.load_function(_required(function, "ACTION_OR_TRIGGER"))
    get_model = getattr(module, "getMetaModel", None)
    if not callable(get_model):
        raise ServiceError(f"Method getMetaModel is not found in the module of '{function}'")
    return get_model(copy.deepcopy(cfg))


def select_model(component, cfg, function, method):
    module = component.load_function(_required(function, "ACTION_OR_TRIGGER"))
    method = _required(method, "GET_MODEL_METHOD")
    model = getattr(module, method, None)
    if not callable(model):
        raise ServiceError(f"Method {method} is not found in the module of '{function}'")
    return model(copy.deepcopy(cfg))


def _required(value, name):
    if not value:
        raise ServiceError(f"{PREFIX}{name} is missing")
    return value


def run_service(method, env=None, component=None):
    """Run METHOD and post its result; the process exit code."""
    env = dict(os.environ if env is None else env)
    post_url = env.get(PREFIX + "POST_RESULT_URL")
    if not post_url:
        log.error(f"{PREFIX}POST_RESULT_URL is missing")
        return 1
    try:
        payload = {"status": "success", "data": _call(method, env, component)}
    except Exception as exc:  # every failure of the call is its result
        log.error("service call failed", extra={"method": method, "error": f"{type(exc).__name__}: {exc}"})
        payload = {"status": "error", "data": {"message": str(exc)}}
    if post_url == PRINT_RESULT:
        print(json.dumps(payload, ensure_ascii=False, default=str), flush=True)
        return 0
    try:
        post_result(post_url, payload)
    except Exception as exc:
        log.error("cannot post the service result", extra={"error": str(exc)})
        return 1
    log.info("service call done", extra={"method": method, "status": payload["status"]})
    return 0


def _call(method, env, component):
    if method not in METHODS:
        raise ServiceError(f"Unknown service method '{method}' (known: {', '.join(METHODS)})")
    cfg_text = env.get(PREFIX + "CFG")
    if cfg_text is None:
        raise ServiceError(f"{PREFIX}CFG is missing")
    cfg = parse_object(cfg_text or "{}", PREFIX + "CFG")
    SECRETS.add_config(cfg)
    component = component or Component(env.get(PREFIX + "COMPONENT_PATH") or os.getcwd())
    if method == "verifyCredentials":
        return verify_credentials(component, cfg)
    if method == "getMetaModel":
        return get_meta_model(component, cfg, env.get(PREFIX + "ACTION_OR_TRIGGER"))
    return select_model(component, cfg, env.get(PREFIX + "ACTION_OR_TRIGGER"), env.get(PREFIX + "GET_MODEL_METHOD"))


def post_result(url, payload, timeout=30):
    target, auth = split_credentials(url)
    response = requests.post(target, json=payload, auth=auth, timeout=timeout)
    if response.status_code != 200:
        raise ServiceError(f"the platform answered HTTP {response.status_code} to the result")


def split_credentials(url):
    """https://user:pass@host/path -> (https://host/path, (user, pass)); no credentials -> (url, None)."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None:
        return url, None
    user = urllib.parse.unquote(parts.username)
    password = urllib.parse.unquote(parts.password or "")
    SECRETS.add(password)
    host = parts.hostname or ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment)), (user, password)
