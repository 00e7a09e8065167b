"""Text given to a submit action arrives in the feed Amazon receives as the same text, or is refused
before anything is sent. Checked end to end: the action, the client, HTTP, and the sandbox's stored
feed (tests/feeds/test_properties.py checks the writer alone against Amazon's XSDs)."""

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from mws_sandbox import Sandbox
from mws_tools.runner import LocalContext, run_function

# Every code point (surrogates and controls included) and the characters XML treats specially.
ANY_TEXT = st.one_of(st.text(st.characters(codec=None, categories=None), max_size=60),
                     st.text(st.sampled_from("<>&'\"]\x00\x01\t\n\r\x0b\ufffe\ud800 aé€\U0001f600;#x"), max_size=60))
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
MARKUP = "<b>Bold</b> &amp; &xxe; <!ENTITY x SYSTEM \"file:///etc/passwd\"> ]]> <![CDATA[raw]]> &#0; \r\n"


@pytest.fixture(scope="module")
def sandbox():
    # Feeds stay unprocessed (their content kept) for the whole module.
    with Sandbox(seed=13, orders=5, quotas=False, feed_processing_seconds=3600) as sb:
        yield sb


@pytest.fixture
def fast_client_quotas(monkeypatch):
    monkeypatch.setenv("MWS_TIME_SCALE", "1000000")  # SubmitFeed's 30 an hour, client side


def submit(sandbox, function, body, **fields):
    """The feed the sandbox stored, parsed; or the error the action emitted."""
    before = len(sandbox.requests)
    ctx = run_function(function, sandbox.credentials | fields, {"body": body}, ctx=LocalContext(out=None))
    [event] = ctx.events
    if event["event"] == "error":
        assert len(sandbox.requests) == before, "a refused feed was sent"
        return None, event["error"]
    content = sandbox.feeds.get(event["body"]["feedSubmissionId"]).content
    return content, etree.fromstring(content)


def lands_or_is_refused(sandbox, function, body, field, find, **fields):
    content, parsed = submit(sandbox, function, body, **fields)
    if content is None:
        assert parsed["name"] == "InputError" and parsed["field"] == field, parsed
        return None
    return find(parsed)


@PROPERTY
@given(text=ANY_TEXT)
@example(text="A&B<C>\"'")
def test_any_sku_lands_unchanged_or_is_refused(sandbox, fast_client_quotas, text):
    landed = lands_or_is_refused(sandbox, "submitInventory", {"sku": text, "quantity": 1}, "body.sku",
                                 lambda root: root.findtext("Message/Inventory/SKU"))
    assert landed in (None, text)


@PROPERTY
@given(text=ANY_TEXT)
@example(text=MARKUP)
def test_any_product_title_lands_unchanged_or_is_refused(sandbox, fast_client_quotas, text):
    item = {"sku": "NEW-1", "descriptionData": {"title": text},
            "productData": {"health": {"productType": {"healthMisc": {}}}}}
    landed = lands_or_is_refused(sandbox, "submitProduct", item, "body.descriptionData.title",
                                 lambda root: root.findtext("Message/Product/DescriptionData/Title"),
                                 operation="Upsert", category="Health")
    assert landed in (None, text)


def test_markup_in_a_free_text_field_is_escaped_not_injected(sandbox, fast_client_quotas):
    item = {"sku": "NEW-2", "descriptionData": {"title": "T", "description": MARKUP},
            "productData": {"health": {"productType": {"healthMisc": {}}}}}
    content, root = submit(sandbox, "submitProduct", item, operation="Upsert", category="Health")
    assert b"&lt;b&gt;Bold&lt;/b&gt; &amp;amp; &amp;xxe; &lt;!ENTITY" in content
    assert b"<b>" not in content and b"<!ENTITY" not in content and b"<![CDATA[" not in content
    description = root.find("Message/Product/DescriptionData/Description")
    assert description.text == item["descriptionData"]["description"] and len(description) == 0  # no child elements
