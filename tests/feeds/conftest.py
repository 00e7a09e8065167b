import pytest

from .support import envelope_schema, xsd_dir


@pytest.fixture(scope="session")
def xsd():
    """Amazon's XSD folder; the tests that validate against it need it."""
    folder = xsd_dir()
    if folder is None:
        pytest.skip("Amazon's XSDs not found (../shared/mws-xsd or MWS_XSD_DIR)")
    envelope_schema()       # compile once per session
    return folder
