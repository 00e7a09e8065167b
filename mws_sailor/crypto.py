"""Message encryption as the Node.js and Java sailors do it (sailor-nodejs lib/cipher.js, sailor-jvm CryptoServiceImpl.java).

AES-256-CBC with PKCS#7 padding; key = SHA-256 of the password; IV = the UTF-8
bytes of the 16-character IV string (the same for every message); plaintext =
compact JSON without ASCII escaping, UTF-8 encoded. On the wire, protocolVersion 1
is the base64 text of the ciphertext and protocolVersion 2 the raw ciphertext.
"""

import base64
import binascii
import datetime
import hashlib
import json

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK_BITS = 128


class DecryptionError(ValueError):
    """The content is not a message encrypted with this password and IV."""


def to_json_bytes(obj):
    """Serialise like JSON.stringify: compact separators, non-ASCII kept, UTF-8."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False, allow_nan=False,
                      default=_json_default).encode("utf-8")


def _json_default(value):
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


class MessageCipher:
    """Encrypts and decrypts message objects for one password and IV."""

    def __init__(self, password, iv):
        if not password:
            raise ValueError("an encryption password is required")
        iv_bytes = iv.encode("utf-8")
        if len(iv_bytes) != 16:
            raise ValueError("the IV must be 16 bytes long")
        # One Cipher serves every message; each call below makes a fresh context from it.
        self._cipher_spec = Cipher(algorithms.AES(hashlib.sha256(password.encode("utf-8")).digest()),
                                   modes.CBC(iv_bytes))

    def encrypt_bytes(self, plaintext):
        padder = padding.PKCS7(BLOCK_BITS).padder()
        encryptor = self._cipher_spec.encryptor()
        padded = padder.update(plaintext) + padder.finalize()
        return encryptor.update(padded) + encryptor.finalize()

    def decrypt_bytes(self, ciphertext):
        try:
            decryptor = self._cipher_spec.decryptor()
            padded = decryptor.update(ciphertext) + decryptor.finalize()
            unpadder = padding.PKCS7(BLOCK_BITS).unpadder()
            return unpadder.update(padded) + unpadder.finalize()
        except ValueError as exc:  # wrong length or bad padding
            raise DecryptionError(f"cannot decrypt the message: {exc}") from None

    def encrypt(self, obj, protocol_version=1):
        """The message object -> the AMQP body for that protocol version."""
        ciphertext = self.encrypt_bytes(to_json_bytes(obj))
        if int(protocol_version) >= 2:
            return ciphertext
        return base64.b64encode(ciphertext)

    def decrypt(self, body, protocol_version=1):
        """An AMQP body of that protocol version -> the message object."""
        text = self.decrypt_text(body, protocol_version)
        try:
            return json.loads(text)
        except ValueError as exc:
            raise DecryptionError(f"the decrypted message is not JSON: {exc}") from None

    def decrypt_text(self, body, protocol_version=1):
        """An AMQP body of that protocol version -> the message's JSON text."""
        if isinstance(body, str):
            body = body.encode("ascii", errors="replace")
        if int(protocol_version) < 2:
            try:
                body = base64.b64decode(body, validate=False)
            except (binascii.Error, ValueError) as exc:
                raise DecryptionError(f"the message is not base64: {exc}") from None
        try:
            return self.decrypt_bytes(body).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DecryptionError(f"the decrypted message is not UTF-8: {exc}") from None

    def encrypt_base64_text(self, obj):
        """Used for the error message fields, which are base64 whatever the protocol version."""
        return self.encrypt(obj, 1).decode("ascii")


def encrypt(obj, password, iv, protocol_version=1):
    return MessageCipher(password, iv).encrypt(obj, protocol_version)


def decrypt(body, password, iv, protocol_version=1):
    return MessageCipher(password, iv).decrypt(body, protocol_version)
