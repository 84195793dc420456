"""Moneybird ids: 18-digit integers written as strings, the same for the same administration and key."""

from __future__ import annotations

from monitr_sandbox.ledger.ids import stable_id

_FIRST = 4 * 10**17  # every id has 18 digits, like Moneybird's (e.g. "484941547749508213")


def moneybird_id(administration_id: str, kind: str, *key: object) -> str:
    return str(_FIRST + stable_id(administration_id, f"moneybird/{kind}", *key).int % 10**17)
