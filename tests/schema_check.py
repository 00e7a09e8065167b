"""Checking mapped answers against the out-schemas."""

import copy

from mws_component import schemas


def shape_only(schema):
    """The schema without value rules: the mocks carry placeholders like 'String' for enumerations."""
    node = copy.deepcopy(schema)

    def strip(n):
        if isinstance(n, dict):
            for k in ("enum", "pattern", "format"):
                n.pop(k, None)
            for v in n.values():
                strip(v)
        elif isinstance(n, list):
            for v in n:
                strip(v)
    strip(node)
    return node


def assert_valid(value, schema_name, strict=True):
    schema = schemas.load(schema_name)
    validator = schemas.validator_for(schema if strict else shape_only(schema))
    problems = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(value)]
    assert not problems, problems
