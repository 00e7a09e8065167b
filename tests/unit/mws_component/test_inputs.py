"""The shared input rules (mws_component/inputs.py): the step-field checker against component.json,
the one time rule across every time field, the one error form, exact enumerations."""

import pytest

from mws_component.errors import ConfigurationError, InputError
from mws_component.feeds import validate_item
from mws_component.inputs import StepField, nearest, step_fields, time_text
from mws_component.triggers import list_orders
from mws_tools.runner import component, load_manifest, module_for

MANIFEST = load_manifest()
FUNCTIONS = sorted(set(MANIFEST["triggers"]) | set(MANIFEST["actions"]))
VIEWS = {"SelectView": "select", "MultiSelectView": "multiselect", "TextFieldView": "text"}


def module_of(name):
    return module_for(component().function_entry(name)["main"])


@pytest.mark.parametrize("name", FUNCTIONS)
def test_every_function_checks_the_step_fields_component_json_declares(name):
    """Where component.json marks a field required, the code demands it; views and choices agree."""
    declared = component().function_entry(name).get("fields", {})
    checked = {f.name: f for f in module_of(name).STEP_FIELDS}
    assert set(checked) == set(declared)
    for key, spec in declared.items():
        field = checked[key]
        assert field.required == bool(spec.get("required")), key
        assert field.view == VIEWS[spec["viewClass"]], key
        model = spec.get("model")
        if model is not None:
            offered = model if isinstance(model, dict) else getattr(module_of(name), model)({})
            assert set(offered) <= set(field.allowed({})), key     # everything the form offers is accepted


@pytest.mark.parametrize("value", [["Update"], {"a": 1}, True, 3.5, ("Update",), b"Update"])
def test_a_select_of_the_wrong_type_is_named_never_a_type_error(value):
    with pytest.raises(ConfigurationError) as error:
        step_fields({"operation": value}, [StepField("operation", "select", choices=("Update", "Delete"))])
    assert error.value.field == "operation" and str(error.value).startswith("operation: ")


@pytest.mark.parametrize("value", [None, "", "  ", []])
def test_a_required_step_field_missing_is_an_error_never_a_default(value):
    with pytest.raises(ConfigurationError) as error:
        step_fields({"operation": value}, [StepField("operation", "select", True, ("Upsert",), "choose it")])
    assert str(error.value) == "operation: is required: choose it"


def test_an_optional_step_field_missing_is_none():
    assert step_fields({}, [StepField("operation", "select", choices=("Update",))]) == {"operation": None}


@pytest.mark.parametrize("value, near", [("update", "Update"), ("UPDATE", "Update"), ("Updat", "Update"),
                                         (" Update", "Update")])
def test_enumerations_are_exact_and_a_near_miss_names_the_nearest(value, near):
    with pytest.raises(ConfigurationError) as error:
        step_fields({"operation": value}, [StepField("operation", "select", choices=("Update", "Delete"))])
    assert f"(did you mean {near!r}?)" in str(error.value)
    assert nearest("Zebra", ("Update", "Delete")) == ""


# -- one time rule -------------------------------------------------------------------------------
TIME = "2024-01-31T12:00:00Z"
PRICE = {"sku": "A", "standardPrice": {"value": "1", "currency": "USD"},
         "sale": {"startDate": TIME, "endDate": "2030-01-01T00:00:00Z", "salePrice": {"value": "1", "currency": "USD"}}}
FEED_TIME_FIELDS = [  # (kind, item, path to the time, its text)
    ("inventory", {"sku": "A", "quantity": 1, "restockDate": "2024-01-31"}, ("restockDate",)),
    ("orderFulfillment", {"amazonOrderID": "123-1234567-1234567", "fulfillmentDate": TIME,
                          "fulfillmentData": {"carrierCode": "UPS"}}, ("fulfillmentDate",)),
    ("price", PRICE, ("sale", "startDate")),
    ("price", PRICE, ("sale", "endDate")),
]


def _at(item, path):
    for step in path:
        item = item[step]
    return item


def _with(item, path, value):
    import copy
    item = copy.deepcopy(item)
    parent = _at(item, path[:-1])
    parent[path[-1]] = value
    return item


@pytest.mark.parametrize("kind, item, path", FEED_TIME_FIELDS)
@pytest.mark.parametrize("around", [("  ", ""), ("", " "), (" ", "  ")])
def test_spaces_around_a_feed_time_are_ignored_and_not_written(kind, item, path, around):
    text = _at(item, path)
    normalized = validate_item(kind, _with(item, path, around[0] + text + around[1]))
    assert _at(normalized, path) == text


@pytest.mark.parametrize("kind, item, path", FEED_TIME_FIELDS)
@pytest.mark.parametrize("bad", ["\x00", "\n", "\t", "\r", "\x1f", "\x85"])
def test_a_control_character_in_a_feed_time_is_refused(kind, item, path, bad):
    text = _at(item, path)
    for spoiled in (text + bad, bad + text, text[:4] + bad + text[4:]):
        with pytest.raises(InputError) as error:
            validate_item(kind, _with(item, path, spoiled))
        assert error.value.field == "items[0]." + ".".join(path)
        assert "control character" in str(error.value)


@pytest.mark.parametrize("name", ["startTime", "endTime"])
def test_the_trigger_times_follow_the_same_rule(name):
    other = {"startTime": "2000-01-01T00:00:00Z"} if name == "endTime" else {}
    options = list_orders._options({name: "  " + TIME + " ", **other}, 50)
    assert (options["start"] if name == "startTime" else options["end"]).isoformat().startswith("2024-01-31T12:00")
    for bad in ["\x00", "\n", "\t"]:
        with pytest.raises(ConfigurationError) as error:
            list_orders._options({name: TIME + bad, **other}, 50)
        assert error.value.field == name and "control character" in str(error.value)


def test_time_text_is_the_one_rule():
    assert time_text(" 2024-01-31 ") == "2024-01-31"
    with pytest.raises(ValueError):
        time_text("2024-01-31\n")
    with pytest.raises(ValueError):
        time_text(20240131)
