"""Message encryption, checked against the spec's vector byte for byte (sailor-nodejs lib/cipher.js)."""

import base64
import hashlib

import pytest

from mws_sailor import crypto
from mws_sailor.crypto import DecryptionError, MessageCipher, to_json_bytes

PASSWORD = "testCryptoPassword"
IV = "iv=any16_symbols"
KEY_HEX = "199c41243a183f4696aad0fbe4cf44490111bf9f73767aaa31016a9b6a1ec0d2"
MESSAGE = {"id": "f8c3b2b0-0000-4000-8000-000000000001",
           "body": {"amazonOrderId": "902-3159896-1390916", "name": "Müller"},
           "headers": {}, "attachments": {}}
PLAINTEXT = ('{"id":"f8c3b2b0-0000-4000-8000-000000000001","body":{"amazonOrderId":"902-3159896-1390916",'
             '"name":"Müller"},"headers":{},"attachments":{}}').encode("utf-8")
V1_BODY = (b"bb01x/BRi0o13Y+aF0LcLBckE3eQftBqwx1EQYrvOXqmYZVAD2Qw42m4JC3+fI4w0hHoAjBS6V/ydUDsRb5ShIfAwxhA4+PXdGVVB"
           b"N5/XX6ezxXBi2nI4/Gtcuy1DH40FWySkB0kMujrP5hk6yC5lixy9GMr8WQEBqx2IwvlwGXLOL3gtoHxqH2nYxo8o1WT")


def test_key_is_sha256_of_the_password():
    assert hashlib.sha256(PASSWORD.encode()).hexdigest() == KEY_HEX


def test_serialisation_is_compact_json_without_ascii_escaping():
    assert to_json_bytes(MESSAGE) == PLAINTEXT


def test_protocol_1_reproduces_the_spec_vector_byte_for_byte():
    assert MessageCipher(PASSWORD, IV).encrypt(MESSAGE, 1) == V1_BODY
    assert crypto.encrypt(MESSAGE, PASSWORD, IV) == V1_BODY


def test_protocol_2_is_the_raw_ciphertext():
    raw = MessageCipher(PASSWORD, IV).encrypt(MESSAGE, 2)
    assert raw == base64.b64decode(V1_BODY)
    assert len(raw) % 16 == 0  # PKCS#7 always pads to whole blocks


def test_decrypt_both_protocol_versions():
    cipher = MessageCipher(PASSWORD, IV)
    assert cipher.decrypt(V1_BODY, 1) == MESSAGE
    assert cipher.decrypt(V1_BODY.decode("ascii"), 1) == MESSAGE
    assert crypto.decrypt(base64.b64decode(V1_BODY), PASSWORD, IV, 2) == MESSAGE


def test_padding_of_an_exact_block_adds_a_full_block():
    cipher = MessageCipher(PASSWORD, IV)
    assert len(cipher.encrypt_bytes(b"x" * 16)) == 32
    assert cipher.decrypt_bytes(cipher.encrypt_bytes(b"x" * 16)) == b"x" * 16


@pytest.mark.parametrize("body, version", [
    (b"not base64 at all!!", 1),
    (b"c2hvcnQ=", 1),                                   # base64 of 5 bytes: not whole blocks
    (MessageCipher("another password", IV).encrypt(MESSAGE, 2), 2),
    (MessageCipher(PASSWORD, IV).encrypt_bytes(b"\xff\xfe not utf-8"), 2),
    (MessageCipher(PASSWORD, IV).encrypt_bytes(b"not json"), 2),
])
def test_undecryptable_content_raises_decryption_error(body, version):
    with pytest.raises(DecryptionError):
        MessageCipher(PASSWORD, IV).decrypt(body, version)


def test_password_and_iv_are_checked():
    with pytest.raises(ValueError):
        MessageCipher("", IV)
    with pytest.raises(ValueError):
        MessageCipher(PASSWORD, "too short")


def test_error_fields_are_base64_text():
    text = MessageCipher(PASSWORD, IV).encrypt_base64_text({"name": "Error"})
    assert isinstance(text, str) and MessageCipher(PASSWORD, IV).decrypt(text, 1) == {"name": "Error"}
