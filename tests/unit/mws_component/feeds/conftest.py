import pytest

from .support import envelope_schema, xsd_dir


@pytest.fixture(scope="session")
def xsd():
    """Amazon's XSD folder; the tests that validate against it need it."""
    folder = xsd_dir()
    if folder is None:
        # The XSDs are the oracle: without them these tests would prove nothing, so they fail.
        pytest.fail("Amazon's XSDs not found (../shared/mws-xsd, MWS_SHARED_DIR or MWS_XSD_DIR)", pytrace=False)
    envelope_schema()       # compile once per session
    return folder
