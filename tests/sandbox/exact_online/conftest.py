"""Fixtures for the Exact emulator tests: a fresh NL sandbox, its Flask test client, a bearer token."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest

from monitr_sandbox.exact_online import ExactSandbox, create_app

NL_DIVISION = 131001


@pytest.fixture
def exact() -> ExactSandbox:
    return ExactSandbox(environment="nl")


@pytest.fixture
def client(exact):
    return create_app(exact).test_client()


@pytest.fixture
def headers(exact) -> dict[str, str]:
    return {"Authorization": f"Bearer {exact.issue_tokens()['access_token']}",
            "Accept": "application/json"}


@pytest.fixture
def read_all(client, headers) -> Callable[[str], list[dict]]:
    """Follow __next from a first URL; returns every row and asserts each page succeeded."""

    def read(url: str, page_sizes: list[int] | None = None) -> list[dict]:
        rows = []
        while url:
            response = client.get(url, headers=headers)
            assert response.status_code == 200, response.json
            page = response.json["d"]
            rows += page["results"]
            if page_sizes is not None:
                page_sizes.append(len(page["results"]))
            url = page.get("__next")
            if url:
                parts = urlsplit(url)
                url = f"{parts.path}?{parts.query}"
        return rows

    return read
