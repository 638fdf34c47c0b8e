"""Service tests run outside a request, so messages use the default locale: English here,
so the assertions read the message ids."""

from __future__ import annotations

from dataclasses import replace

import pytest

from compliance.config import Config


@pytest.fixture
def config(config: Config) -> Config:
    return replace(config, extra={**config.extra, "BABEL_DEFAULT_LOCALE": "en"})
