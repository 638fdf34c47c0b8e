"""Fixtures for the quota engine tests: the fictional country's pack and registry."""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance.quota import PackRegistry, default_registry, load_pack

PACKS = Path(__file__).parent / "packs"


@pytest.fixture(scope="session")
def xx_registry() -> PackRegistry:
    """The shipped packs plus the fictional country XX's pack (proves the format's generality)."""
    return default_registry().with_packs(load_pack(PACKS / "xx-fictional-2020.toml"))


@pytest.fixture(scope="session")
def xx_pack_text() -> str:
    return (PACKS / "xx-fictional-2020.toml").read_text(encoding="utf-8")
