"""Credentials are encrypted at rest; the key file is owner-only; keys can rotate."""

import stat

from cryptography.fernet import Fernet

from monitr_pipeline.control.crypto import CredentialCipher, load_or_create_key


def test_key_file_is_owner_only_and_stable(tmp_path):
    path = tmp_path / "secret.key"
    key = load_or_create_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_key(path) == key


def test_encrypted_blob_hides_the_secret_and_survives_rotation():
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    blob = CredentialCipher(old).encrypt({"refresh_token": "very-secret-refresh"})
    assert b"very-secret-refresh" not in blob
    rotated = CredentialCipher(f"{new},{old}")
    assert rotated.decrypt(blob) == {"refresh_token": "very-secret-refresh"}
    assert "very" not in repr(rotated)
