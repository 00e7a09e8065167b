"""component.json: consistent with the package and its schema files."""

import json
import re
import tomllib
from pathlib import Path

import jsonschema

from mws_component import schemas
from mws_tools.runner import module_for

ROOT = Path(__file__).resolve().parents[3]
MANIFEST = json.loads((ROOT / "component.json").read_text())


def functions():
    for kind in ("triggers", "actions"):
        yield from MANIFEST.get(kind, {}).items()


def test_version_matches_pyproject_and_changelog():
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert MANIFEST["version"] == version
    assert f"## {version}" in (ROOT / "CHANGELOG.md").read_text()


def test_every_main_resolves_to_a_process_function():
    for name, entry in functions():
        module = module_for(entry["main"])
        assert callable(getattr(module, "process", None)), name
        for field in entry.get("fields", {}).values():
            if isinstance(field.get("model"), str):
                assert callable(getattr(module, field["model"], None)), (name, field["model"])
        if entry.get("dynamicMetadata"):
            assert callable(getattr(module, "getMetaModel", None)), name
    assert callable(module_for(MANIFEST["verifyCredentials"]).verify)


def test_metadata_files_exist_and_are_schemas():
    for name, entry in functions():
        for direction, path in entry.get("metadata", {}).items():
            file = ROOT / path
            assert file.is_file(), (name, direction, path)
            jsonschema.Draft7Validator.check_schema(schemas._to_draft7(json.loads(file.read_text())))


def test_names_and_credentials():
    names = [name for name, _ in functions()]
    assert len(names) == len(set(names)) and all(re.match(r"^[A-Za-z]+[\w_]*$", n) for n in names)
    fields = MANIFEST["credentials"]["fields"]
    assert set(fields) >= {"sellerId", "mwsAuthToken", "accessKeyId", "secretAccessKey", "marketplaceId", "endpoint"}
    assert fields["secretAccessKey"]["viewClass"] == "PasswordFieldView"
    assert len(fields["marketplaceId"]["model"]) == 24  # MWS's 22 (China: MWS only) + Ireland, South Africa (SP-API only)
    assert set(fields) >= {"api", "lwaClientId", "lwaClientSecret", "refreshToken", "lwaEndpoint"}
    assert set(fields["api"]["model"]) == {"spapi", "mws"}
    assert fields["lwaClientSecret"]["viewClass"] == fields["refreshToken"]["viewClass"] == "PasswordFieldView"
    assert MANIFEST["triggers"]["listOrders"]["type"] == "polling"


def test_logo_is_128_square_png_with_alpha():
    data = (ROOT / "logo.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (128, 128) and data[25] == 6  # colour type 6: RGBA


# The view classes elasticio-cli's validator accepts (PLATFORM.md §1.4).
VIEW_CLASSES = {"TextFieldView", "TextAreaView", "CheckBoxView", "SelectView", "MultiSelectView", "PasswordFieldView",
                "OAuthFieldView", "TextFieldWithNoteView", "CodeFieldView", "TextAreaWithNoteView", "SelectTreeView",
                "SelectPropertyView", "WebHookPayloadView", "OutMetadataView", "InMetadataExtensionView",
                "CSVReadView", "CSVWriteView", "JSONataView", "RESTAPIView", "HTTPAuthView", "WebhookAuthView"}


def all_fields():
    yield from MANIFEST["credentials"]["fields"].items()
    for _, entry in functions():
        yield from entry.get("fields", {}).items()


def test_the_cli_validator_rules():
    assert MANIFEST["title"] and MANIFEST["description"]
    assert MANIFEST.get("actions") or MANIFEST.get("triggers")
    for name, entry in functions():
        assert entry.get("title") and entry.get("main"), name
        assert entry.get("metadata", {}).get("in") or entry.get("dynamicMetadata") or name in MANIFEST.get("triggers", {}), name
    for name, entry in MANIFEST.get("triggers", {}).items():
        assert entry.get("type") in ("polling", "webhook"), name
    for name, field in all_fields():
        assert field.get("label") and field.get("viewClass") in VIEW_CLASSES, name
        if field["viewClass"] in ("SelectView", "MultiSelectView"):
            assert isinstance(field.get("model"), (dict, str)) and field["model"], name
