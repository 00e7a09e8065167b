"""Amazon's Orders API 2026-01-01 model as a test oracle: answers against its response schemas, requests
against its operation parameters.

    validate_response("searchOrders", 200, body)        # jsonschema, the whole model as root document
    validate_request("searchOrders", "GET", "/orders/2026-01-01/orders", "createdAfter=...&includedData=A,B")

The model is Swagger 2.0: schemas live under `#/definitions/`, which resolve because every validator's
root document is the model itself; the `x-` keys are annotations jsonschema ignores. Swagger 2.0 schemas
are JSON Schema draft 4. `strict=True` (the default) also refuses properties the model does not define,
so a misspelt field fails instead of passing as an unknown extra.
"""

import copy
import json
import re
from functools import lru_cache
from urllib.parse import parse_qsl

import jsonschema
from dateutil.parser import isoparse

from tests.conftest import SHARED

MODEL_PATH = SHARED / "spapi-models" / "models" / "orders_2026-01-01.json"


class RequestInvalid(AssertionError):
    def __init__(self, operation_id, problems):
        super().__init__(f"{operation_id}: " + "; ".join(problems))
        self.problems = problems


@lru_cache(maxsize=None)
def model():
    return json.loads(MODEL_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def operations():
    """operationId -> (method, path template, operation object)."""
    found = {}
    for template, methods in model()["paths"].items():
        for method, operation in methods.items():
            found[operation["operationId"]] = (method.upper(), template, operation)
    return found


def _closed(schema):
    """A copy in which every object with `properties` admits no others."""
    if isinstance(schema, dict):
        out = {k: _closed(v) for k, v in schema.items()}
        if "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [_closed(v) for v in schema]
    return schema


FORMATS = jsonschema.FormatChecker(())


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value):
    if not isinstance(value, str):
        return True
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", value):
        raise ValueError(f"{value!r} is not an RFC 3339 date-time")
    isoparse(value)
    return True


@lru_cache(maxsize=None)
def _root(strict):
    root = copy.deepcopy(model())
    if strict:
        root["definitions"] = _closed(root["definitions"])
    return root


def response_validator(operation_id, status, strict=True):
    _, _, operation = operations()[operation_id]
    response = operation["responses"][str(status)]  # KeyError: a status the model does not declare
    root = {**_root(strict), **response["schema"]}  # the response's $ref resolves against the model
    return jsonschema.Draft4Validator(root, format_checker=FORMATS)


def validate_response(operation_id, status, body, strict=True):
    """Raise jsonschema.ValidationError unless `body` is what the model allows for this status."""
    response_validator(operation_id, status, strict).validate(body)


def declared_headers(operation_id, status):
    _, _, operation = operations()[operation_id]
    return set(operation["responses"][str(status)].get("headers", {}))


# -- requests ---------------------------------------------------------------------------------------

def _path_params(template, path):
    pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
    found = re.fullmatch(pattern, path)
    return None if found is None else found.groupdict()


def _check_scalar(name, spec, value, problems):
    kind = spec.get("type", "string")
    if kind == "integer":
        if not re.fullmatch(r"-?\d+", value):
            problems.append(f"{name} {value!r} is not an integer")
            return
        number = int(value)
        if "minimum" in spec and number < spec["minimum"]:
            problems.append(f"{name} {number} is below the minimum {spec['minimum']}")
        if "maximum" in spec and number > spec["maximum"]:
            problems.append(f"{name} {number} is above the maximum {spec['maximum']}")
    elif kind == "number":
        try:
            float(value)
        except ValueError:
            problems.append(f"{name} {value!r} is not a number")
    elif kind == "boolean":
        if value not in ("true", "false"):
            problems.append(f"{name} {value!r} is not true or false")
    elif spec.get("format") == "date-time":
        try:
            _date_time(value)
        except ValueError as error:
            problems.append(f"{name}: {error}")
    if "enum" in spec and value not in spec["enum"]:
        problems.append(f"{name} {value!r} is not one of {spec['enum']}")
    for key, check in (("minLength", lambda n: len(value) < n), ("maxLength", lambda n: len(value) > n)):
        if key in spec and check(spec[key]):
            problems.append(f"{name} breaks {key} {spec[key]}")


def validate_request(operation_id, method, path, query):
    """Check a request against the operation's parameters in the model; returns {name: value or list}.

    `query`: the raw query string, or a mapping of decoded values (str, or a list for repeated names).
    Raises RequestInvalid naming every problem: the method or path, unknown or repeated parameters,
    missing required ones, types (integer, date-time), enums, minimum/maximum, and arrays (csv,
    the model's default collectionFormat; maxItems, minItems, item types and enums).
    """
    expected_method, template, operation = operations()[operation_id]
    problems = []
    if method.upper() != expected_method:
        problems.append(f"method {method} is not {expected_method}")
    path_values = _path_params(template, path)
    if path_values is None:
        problems.append(f"path {path!r} does not match {template}")
        path_values = {}
    if isinstance(query, str):
        pairs = parse_qsl(query, keep_blank_values=True)
    else:
        pairs = [(k, v) for k, values in query.items() for v in (values if isinstance(values, list) else [values])]
    specs = {p["name"]: p for p in operation.get("parameters", [])}
    values = {}
    for name, value in pairs:
        spec = specs.get(name)
        if spec is None or spec["in"] != "query":
            problems.append(f"{name} is not a query parameter of {operation_id}")
        elif name in values:
            problems.append(f"{name} is given more than once (arrays are comma-separated)")
        values[name] = value
    for name, spec in specs.items():
        if spec["in"] == "path":
            value = path_values.get(name)
            if value is None:
                continue
            _check_scalar(name, spec, value, problems)
            values[name] = value
            continue
        if spec["in"] != "query":
            continue
        if name not in values:
            if spec.get("required"):
                problems.append(f"{name} is required")
            continue
        if spec.get("type") == "array":
            if spec.get("collectionFormat", "csv") != "csv":
                raise NotImplementedError(spec["collectionFormat"])
            items = values[name].split(",")
            if "maxItems" in spec and len(items) > spec["maxItems"]:
                problems.append(f"{name} has {len(items)} items; at most {spec['maxItems']}")
            if "minItems" in spec and len(items) < spec["minItems"]:
                problems.append(f"{name} has {len(items)} items; at least {spec['minItems']}")
            for index, item in enumerate(items):
                if item == "":
                    problems.append(f"{name}[{index}] is empty")
                else:
                    _check_scalar(f"{name}[{index}]", spec.get("items", {}), item, problems)
            values[name] = items
        else:
            _check_scalar(name, spec, values[name], problems)
    if problems:
        raise RequestInvalid(operation_id, problems)
    return values


def validate_logged(record):
    """validate_request for an entry of the sandbox's request log (an SP-API operation's)."""
    path = re.sub(r"\A/(na|eu|fe)(?=/)", "", record.path)  # the sandbox's region prefix
    return validate_request(record.action, record.method, path, record.params)
