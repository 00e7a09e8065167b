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


# -- a thread a test left spinning --------------------------------------------------------------
# A thread that outlives its test and keeps computing (a wait loop whose sleep returns at once, say)
# holds the GIL for the rest of the run and slows every later test several times over, without failing
# any. At the end of the run, a live thread that has used more CPU than any test's work could fails it.

BUSY_THREAD_CPU_SECONDS = float(os.environ.get("MWS_TEST_BUSY_THREAD_SECONDS", 120))


def _thread_cpu_seconds():
    """{thread name: CPU seconds} of this process's live Python threads (Linux /proc; {} elsewhere)."""
    import threading
    ticks = os.sysconf("SC_CLK_TCK")
    out = {}
    for thread in threading.enumerate():
        if thread is threading.main_thread() or thread.native_id is None:
            continue
        try:
            fields = Path(f"/proc/self/task/{thread.native_id}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[f"{thread.name} (tid {thread.native_id})"] = (int(fields[11]) + int(fields[12])) / ticks
    return out


def pytest_sessionfinish(session, exitstatus):
    busy = {name: cpu for name, cpu in _thread_cpu_seconds().items() if cpu > BUSY_THREAD_CPU_SECONDS}
    if busy:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        text = ", ".join(f"{name}: {cpu:.0f} s" for name, cpu in busy.items())
        if reporter is not None:
            reporter.write_line(f"threads left computing after their tests (CPU used): {text}", red=True)
        session.exitstatus = 1
