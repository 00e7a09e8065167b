"""Checking feed items: the payload against its description, plus the rules of a
feed kind the XSD cannot say (operation type, fields Update needs or Delete must
not carry, the category of a product feed)."""

from functools import lru_cache

from ..errors import InputError, shown
from ..inputs import nearest, refuse
from ..naming import json_name
from .catalog import describe, resolve_category
from .model import default_model

# The one key of an item that is not a payload field: the message's OperationType.
# The generator makes sure no payload element is called OperationType.
OPERATION_KEY = "operationType"


def message_checker(kind, operation_type=None, *, category=None, model=None, operation_field="operationType"):
    """A function (item, path) -> (OperationType or None, normalized payload); `path` is how
    errors name the item ("items[3]", "body.items[3]", "body").

    `operation_type` is checked here, once, and named `operation_field` when it is refused
    (the submit actions' step field is `operation`)."""
    feed = describe(kind)
    default_operation_type = _feed_operation_type(feed, operation_type, operation_field)
    check_payload = (model or default_model()).element(feed.element).type.check
    rules = _feed_rules(feed, category)
    first_look = _category_key_check(feed, category)

    def check_message(item, path):
        operation_type = default_operation_type
        if type(item) is dict and item.get(OPERATION_KEY) is not None:
            operation_type = _item_operation_type(feed, item[OPERATION_KEY], path)
            item = {k: v for k, v in item.items() if k != OPERATION_KEY}
        if first_look is not None:
            first_look(item, path)
        payload = check_payload(item, path)
        for rule in rules:
            rule(operation_type, payload, path)
        return operation_type, payload

    return check_message


def _item_operation_type(feed, operation_type, path):
    if operation_type in feed.operation_types:
        return operation_type
    raise refuse(f"{path}.{OPERATION_KEY}",
                 f"{shown(operation_type)} is not one of {', '.join(feed.operation_types)}"
                 f"{nearest(operation_type, feed.operation_types)}"
                 if feed.operation_types else f"a {feed.key} feed has no operation type")


def _feed_rules(feed, category):
    """Checks (operation_type, payload, path) for what the feed kind adds to its XSD."""
    rules = []
    if feed.required_on_update:
        def required_on_update(operation_type, payload, path):
            if operation_type == "Update":
                for key in feed.required_on_update:
                    if key not in payload:
                        raise InputError(f"{path}.{key}: is required for Update", field=f"{path}.{key}")
        rules.append(required_on_update)
    if feed.omitted_on_delete:
        def omitted_on_delete(operation_type, payload, path):
            if operation_type == "Delete":
                for key in feed.omitted_on_delete:
                    if key in payload:
                        raise InputError(f"{path}.{key}: leave it out for Delete", field=f"{path}.{key}")
        rules.append(omitted_on_delete)
    if category is not None:
        if not feed.category_holder:
            raise InputError(f"category: a {feed.key} feed has no product category", field="category")
        category_key, holder_key = resolve_category(category).key, json_name(feed.category_holder)

        def of_category(operation_type, payload, path):
            given = next(iter(payload.get(holder_key, {category_key: None})))
            if given != category_key:
                raise _other_category(path, holder_key, given, category_key)
        rules.append(of_category)
    return tuple(rules)


def _other_category(path, holder_key, given, category_key):
    return refuse(f"{path}.{holder_key}.{given}", f"this feed's category takes the key {category_key}, "
                                                  f"not {shown(given)}")


def _category_key_check(feed, category):
    """Before the payload is checked: a key under productData other than the category's is refused
    saying which key the category expects (not listing the 30 categories' keys)."""
    if category is None or not feed.category_holder:
        return None
    category_key, holder_key = resolve_category(category).key, json_name(feed.category_holder)

    def check(item, path):
        holder = item.get(holder_key) if type(item) is dict else None
        if type(holder) is dict:
            for given, value in holder.items():
                if value is not None and given != category_key:
                    raise _other_category(path, holder_key, given, category_key)
    return check


def _feed_operation_type(feed, operation_type, field="operationType"):
    if operation_type is None:
        return feed.default_operation_type
    if operation_type not in feed.operation_types:
        raise refuse(field, f"{shown(operation_type)} is not one of {', '.join(feed.operation_types)}"
                            f"{nearest(operation_type, feed.operation_types)}"
                     if feed.operation_types else f"a {feed.key} feed has no operation type")
    return operation_type


@lru_cache(maxsize=256)
def _cached_checker(kind, operation_type, category):
    return message_checker(kind, operation_type, category=category)


def validate_item(kind, item, index=0, operation_type=None, *, category=None, path=None):
    """The normalized item (nulls dropped, every value the text that will be written,
    "operationType" first for kinds that have one), or InputError naming <path>.field
    (by default items[index].field)."""
    checked_type, payload = _cached_checker(kind, operation_type, category)(item, path or f"items[{index}]")
    return {OPERATION_KEY: checked_type, **payload} if checked_type else payload


def validate_feed(kind, items, operation_type=None, *, category=None):
    """Check every item (a first pass over a re-iterable source); returns how many there are."""
    check = message_checker(kind, operation_type, category=category)
    count = 0
    for count, item in enumerate(items, 1):
        check(item, f"items[{count - 1}]")
    if not count:
        raise InputError("items: a feed needs at least one item", field="items")
    return count
