"""The sandbox's table of Amazon MWS (mws_sandbox.tables) and the client's agree, figure by figure.

Each was written from Amazon's documentation on its own, so a wrong figure in
either one fails here instead of being echoed by the server. The sandbox
package itself never imports the component (test_no_component_imports.py);
only this test reads both.
"""

from dataclasses import astuple

import pytest

from mws_component import marketplaces as client_marketplaces
from mws_sandbox import tables
from mws_sandbox.feeds.section import feeds_route
from mws_sandbox.orders.section import orders_route

from mws_component.mws import operations as client

OPERATION_NAMES = sorted(tables.OPERATIONS)


def test_the_same_sections_with_the_same_path_version_and_namespace():
    assert sorted(client.SECTIONS) == sorted(tables.SECTIONS)
    for name, section in tables.SECTIONS.items():
        theirs = client.SECTIONS[name]
        assert (theirs.path, theirs.version, theirs.namespace) == (section.path, section.version,
                                                                   section.namespace), name


def test_the_same_actions():
    assert sorted(client.OPERATIONS) == OPERATION_NAMES


@pytest.mark.parametrize("name", OPERATION_NAMES)
def test_each_action_is_in_the_same_section_and_quota_group_with_the_same_figures(name):
    ours, theirs = tables.OPERATIONS[name], client.OPERATIONS[name]
    assert theirs.section.name == ours.section.name
    assert (theirs.quota.name, theirs.quota.max_request, theirs.quota.restore_seconds, theirs.quota.hourly) == \
        (ours.quota.name, ours.quota.max_request, ours.quota.restore_seconds, ours.quota.hourly)


@pytest.mark.parametrize("name", OPERATION_NAMES)
def test_the_client_can_send_every_documented_list_parameter_spelt_amazons_way(name):
    ours, theirs = tables.OPERATIONS[name], client.OPERATIONS[name]
    for parameter, member in ours.lists.items():
        assert theirs.lists.get(parameter) == member, f"{name}: {parameter}.{member}.N"


@pytest.mark.parametrize("name", OPERATION_NAMES)
def test_list_caps_the_client_applies_are_amazons(name):
    ours, theirs = tables.OPERATIONS[name], client.OPERATIONS[name]
    for parameter, cap in theirs.max_list_items.items():
        assert ours.max_list_items.get(parameter) == cap, f"{name}: {parameter}"
    for parameter, cap in ours.max_list_items.items():
        # A cap the client does not apply is one the server enforces with a 400 (none today but the one
        # the sandbox chose for CancelFeedSubmissions, which Amazon's page leaves open).
        if parameter in theirs.max_list_items:
            assert theirs.max_list_items[parameter] == cap, f"{name}: {parameter}"


def test_the_client_sends_no_list_parameter_an_operation_does_not_document():
    extra = {(name, parameter) for name, op in client.OPERATIONS.items() for parameter in op.lists
             if parameter not in tables.OPERATIONS[name].lists}
    assert extra == set()


def test_the_same_marketplaces_ids_and_endpoints():
    assert sorted(astuple(m) for m in client_marketplaces.MARKETPLACES) == \
        sorted(astuple(m) for m in tables.MARKETPLACES)


def test_every_operation_in_the_table_is_served_and_every_handler_has_a_row():
    routes = (orders_route(store=None, tokens=None, items_page_size=5), feeds_route(submissions=None, tokens=None))
    served = {(route.section, action) for route in routes for action in route.actions}
    assert served == {(op.section, name) for name, op in tables.OPERATIONS.items()}
