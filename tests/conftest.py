import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("MWS_SHARED_DIR") or ROOT.parent / "shared")


@pytest.fixture(scope="session")
def shared_dir():
    if not SHARED.is_dir():
        pytest.fail(f"shared reference folder not found at {SHARED} (set MWS_SHARED_DIR)")
    return SHARED
