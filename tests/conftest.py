import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("TASSCORPUS_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the project root; tests that need it skip when it is absent."""
    if not (SHARED / "eval").is_dir():
        pytest.skip("../shared/eval is absent")
    return SHARED


@pytest.fixture(scope="session")
def e5():
    """The bundled encoder, loaded once per test session."""
    from align.encoders import get_encoder

    return get_encoder("e5-small")
