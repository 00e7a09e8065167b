"""MwsAccount's SP-API-only parts: product types are refused as a configuration error naming productType."""

from types import SimpleNamespace

import pytest

from mws_component.errors import ConfigurationError
from mws_component.mws.account import MwsAccount


def test_product_types_need_sp_api_credentials():
    account = MwsAccount(SimpleNamespace(seller_id="A1SELLER", marketplace_id="ATVPDKIKX0DER"), client=None)
    for ask in (lambda: account.product_type_definition("SHIRT"), lambda: account.product_types("shirt")):
        with pytest.raises(ConfigurationError) as error:
            ask()
        assert error.value.field == "productType" and "SP-API credentials" in str(error.value)
