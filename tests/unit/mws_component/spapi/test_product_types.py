"""Product type definitions: Amazon's meta-schema keywords, errors naming items[i].attributes..., the in-schema,
the cache. The schemas are the tests' own, in the shape of Amazon's."""

import pytest

from mws_component import schemas
from mws_component.errors import InputError, ResponseError
from mws_component.spapi.listings.product_types import (Definition, DefinitionCache, definition_from_answer,
                                                        schema_link)

from .listings_support import META, US, good_toy_attributes, toy_schema

TOY = Definition(toy_schema(), product_type="TOY_FIGURE", marketplace_id=US, version="U1")


def problems(attributes, **options):
    return TOY.problems(attributes, "items[3]", **options)


def with_defaults(**attributes):
    """good attributes with marketplace_id and language_tag as the mapper fills them."""
    out = {}
    for name, values in {**good_toy_attributes(), **attributes}.items():
        entries = TOY.entry_properties(name)
        out[name] = [{**({"marketplace_id": US} if "marketplace_id" in entries else {}),
                      **({"language_tag": "en_US"} if "language_tag" in entries else {}), **v} for v in values]
    return out


def test_good_attributes_pass():
    assert problems(with_defaults()) == []
    TOY.check(with_defaults(), "items[0]")


def test_max_unique_items_counts_entries_per_selector_combination():
    two_languages = with_defaults(item_name=[{"value": "Robot"}, {"value": "Robot", "language_tag": "es_US"}])
    assert problems(two_languages) == []
    same = with_defaults(item_name=[{"value": "Robot"}, {"value": "Another"}])
    (field, message), = problems(same)
    assert field == "items[3].attributes.item_name"
    assert "2 entries share" in message and 'language_tag="en_US"' in message and "at most 1" in message
    bullets = with_defaults(bullet_point=[{"value": f"b{n}"} for n in range(3)])
    assert problems(bullets) == []
    assert problems(with_defaults(bullet_point=[{"value": f"b{n}"} for n in range(4)]))[0][0] == \
        "items[3].attributes.bullet_point"


def test_max_unique_items_without_selectors_counts_whole_entries():
    schema = {"$schema": META, "type": "object", "properties": {
        "tag": {"type": "array", "maxUniqueItems": 1, "items": {"type": "object"}}}}
    definition = Definition(schema)
    assert definition.problems({"tag": [{"value": "a"}, {"value": "b"}]}, "items[0]") == []
    (field, message), = definition.problems({"tag": [{"value": "a"}, {"value": "a"}]}, "items[0]")
    assert field == "items[0].attributes.tag" and "2 entries share the value" in message


def test_byte_lengths_count_utf8_bytes_not_characters():
    assert problems(with_defaults(item_name=[{"value": "é" * 10}])) == []           # 10 characters, 20 bytes
    (field, message), = problems(with_defaults(item_name=[{"value": "é" * 11}]))
    assert field == "items[3].attributes.item_name[0].value" and "22 bytes long in UTF-8; at most 20" in message
    assert problems(with_defaults(item_name=[{"value": "a" * 20}])) == []
    schema = {"type": "object", "properties": {"code": {"type": "string", "minUtf8ByteLength": 3}}}
    assert Definition(schema).problems({"code": "é"}, "items[0]") == [
        ("items[0].attributes.code", "'é' is 2 bytes long in UTF-8; at least 3 required")]
    assert Definition(schema).problems({"code": "éa"}, "items[0]") == []


def test_standard_keywords_and_field_names():
    found = dict(problems(with_defaults(condition_type=[{"value": "broken"}],
                                        brand=[{"value": "Acme", "colour": "red"}])))
    assert "'broken' is not one of" in found["items[3].attributes.condition_type[0].value"]
    assert "colour" in found["items[3].attributes.brand[0]"]
    missing = {k: v for k, v in with_defaults().items() if k != "condition_type"}
    assert problems(missing) == [("items[3].attributes.condition_type", "'condition_type' is a required property")]
    no_value = with_defaults()
    no_value["brand"] = [{"language_tag": "en_US"}]
    assert problems(no_value) == [("items[3].attributes.brand[0].value", "'value' is a required property")]
    bad_date = with_defaults(fulfillment_availability=[{"fulfillment_channel_code": "DEFAULT",
                                                        "restock_date": "2026-13-45"}])
    assert problems(bad_date)[0][0] == "items[3].attributes.fulfillment_availability[0].restock_date"


def test_partial_checks_only_what_is_given():
    given = {"item_name": with_defaults()["item_name"]}
    assert problems(given, partial=True) == []
    assert problems(given)[0][1] == "'brand' is a required property"
    # nested requirements still hold in a partial update
    assert problems({"brand": [{"language_tag": "en_US"}]}, partial=True)[0][0] == "items[3].attributes.brand[0].value"


def test_annotations_do_not_validate():
    schema = {"type": "object", "properties": {"x": {"type": "string", "editable": False, "hidden": True,
                                                     "enumNames": ["X"], "selectors": ["a"], "minUniqueItems": 9}}}
    assert Definition(schema).problems({"x": "anything"}, "items[0]") == []


def test_check_raises_naming_the_first_field_and_counts_the_rest():
    attributes = with_defaults(bullet_point=[{"value": "x" * 40 + str(n)} for n in range(7)])
    with pytest.raises(InputError) as caught:
        TOY.check(attributes, "items[1]")
    assert caught.value.field == "items[1].attributes.bullet_point"
    assert "and 3 more" in str(caught.value) and "TOY_FIGURE's definition" in str(caught.value)


def test_a_schema_that_is_not_json_schema_is_refused():
    with pytest.raises(ResponseError, match="not a valid JSON Schema"):
        Definition({"type": "object", "properties": {"x": {"type": 5}}})
    with pytest.raises(ResponseError):
        Definition(["not", "an", "object"])


# -- the in-schema ------------------------------------------------------------------------------

def test_in_schema_keeps_titles_descriptions_and_requirements():
    schema = TOY.in_schema()
    item = schema["properties"]["items"]["items"]
    assert schema["properties"]["items"]["required"] is True
    assert set(item["properties"]) == {"operationType", "sku", "requirements", "attributes"}
    attributes = item["properties"]["attributes"]["properties"]
    assert "internal_code" not in attributes                      # hidden
    name = attributes["item_name"]
    assert (name["title"], name["description"], name["required"], name["type"]) == (
        "Item Name", "Provide a title for the item", True, "array")
    entry = name["items"]["properties"]
    assert set(entry) == {"value"}                                # marketplace_id and language_tag are hidden
    assert entry["value"]["required"] is True and "at most 20 bytes in UTF-8" in entry["value"]["description"]
    assert attributes["condition_type"]["items"]["properties"]["value"]["enum"] == ["new_new", "used_good"]
    assert "required" not in attributes["bullet_point"]
    assert [attributes[k]["order"] for k in attributes] == sorted((attributes[k]["order"] for k in attributes),
                                                                  reverse=True)


def test_in_schema_takes_an_item_in_the_platforms_dialect():
    validator = schemas.validator_for(TOY.in_schema())
    good = {"items": [{"sku": "S", "attributes": {"item_name": [{"value": "Robot"}], "brand": [{"value": "A"}],
                                                   "condition_type": [{"value": "new_new"}]}}]}
    assert list(validator.iter_errors(good)) == []
    assert list(validator.iter_errors({"items": [{"attributes": {}}]}))        # sku and attributes required


# -- answers and the cache ----------------------------------------------------------------------

ANSWER = {"productType": "TOY_FIGURE", "displayName": "Toy figure", "marketplaceIds": [US],
          "productTypeVersion": {"version": "U1", "latest": True},
          "schema": {"link": {"resource": "https://schemas.example/TOY_FIGURE.json", "verb": "GET"},
                     "checksum": "c7af9479ca7261645cea9db56c5f720d"},
          "propertyGroups": {"offer": {"title": "Offer", "propertyNames": ["condition_type"]}}}


def test_definition_from_answer():
    definition = definition_from_answer(ANSWER, toy_schema())
    assert (definition.product_type, definition.version, definition.marketplace_id, definition.display_name) == (
        "TOY_FIGURE", "U1", US, "Toy figure")
    assert definition.property_groups["offer"]["propertyNames"] == ["condition_type"]
    assert schema_link(ANSWER) == "https://schemas.example/TOY_FIGURE.json"
    with pytest.raises(ResponseError, match="schema.link.resource"):
        schema_link({"schema": {}})


def test_cache_downloads_once_per_marketplace_type_and_version():
    cache, downloads = DefinitionCache(), []

    def download(url):
        downloads.append(url)
        return toy_schema()
    first = cache.from_answer(ANSWER, download, marketplace_id=US)
    assert cache.from_answer(ANSWER, download, marketplace_id=US) is first and len(downloads) == 1
    newer = {**ANSWER, "productTypeVersion": {"version": "U2", "latest": True}}
    assert cache.from_answer(newer, download, marketplace_id=US) is not first and len(downloads) == 2
    cache.from_answer(ANSWER, download, marketplace_id="A2EUQ1WTGCTBG2")
    assert len(downloads) == 3 and len(cache) == 3


def test_cache_drops_the_least_recently_used():
    cache, loads = DefinitionCache(size=2), []

    def load(name):
        return lambda: loads.append(name) or name
    cache.get(US, "A", "1", load("A"))
    cache.get(US, "B", "1", load("B"))
    cache.get(US, "A", "1", load("A again"))      # A is used: B is now the oldest
    cache.get(US, "C", "1", load("C"))
    cache.get(US, "A", "1", load("A again"))
    cache.get(US, "B", "1", load("B again"))
    assert loads == ["A", "B", "C", "B again"]
