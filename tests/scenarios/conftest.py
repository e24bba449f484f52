"""Shared by the scenario tests: each test module names its file as PATH."""

from __future__ import annotations

import pytest

from engine.loader import load_scenario
from engine.model import Scenario


@pytest.fixture(scope="module")
def scenario(request: pytest.FixtureRequest) -> Scenario:
    return load_scenario(request.module.PATH)
