"""verifyCredentials' answers for each thing the account can say (no HTTP)."""

import pytest

from mws_component import errors, verify_credentials

CFG = {"sellerId": "A1SELLER", "accessKeyId": "AKIDEXAMPLE1", "secretAccessKey": "s", "marketplaceId": "ATVPDKIKX0DER"}


class Account:
    def __init__(self, raises=None):
        self.raises = raises

    def verify(self):
        if self.raises:
            raise self.raises


@pytest.fixture
def verify(monkeypatch):
    def verify(raises=None, cfg=CFG):
        monkeypatch.setattr(verify_credentials, "open_account", lambda credentials, retry=None: Account(raises))
        return verify_credentials.verify(cfg)
    return verify


def test_accepted(verify):
    assert verify() == {"verified": True}


def test_a_real_server_throttle_means_verified_just_busy(verify):
    throttled = errors.error_class("RequestThrottled")("busy", code="RequestThrottled", status=503,
                                                       outcome_kind="throttled")
    assert verify(throttled) == {"verified": True}


def test_local_quota_exhaustion_is_not_a_verification(verify):
    answer = verify(errors.QuotaExhausted("ListOrders: next in 42 s", retry_after=41.6))
    assert answer["verified"] is False
    assert "could not be checked" in answer["reason"] and "try again in 42 s" in answer["reason"]


def test_a_refusal_names_the_wrong_part(verify):
    refused = errors.error_class("SignatureDoesNotMatch")("no", code="SignatureDoesNotMatch", status=403)
    answer = verify(refused)
    assert answer["verified"] is False and "Secret Access Key" in answer["reason"]


def test_bad_fields_are_refused_before_any_call(verify):
    answer = verify(cfg=CFG | {"sellerId": ""})
    assert answer == {"verified": False, "reason": "sellerId: is required"}
