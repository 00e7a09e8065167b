"""The test run's own guard (tests/conftest.py): a thread a test leaves computing fails the run, naming
the thread, instead of silently slowing every later test (it once made a CI run take an hour)."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SPINNING = """
    import threading, time
    def test_leaves_a_thread_spinning():
        threading.Thread(target=lambda: [None for _ in iter(int, 1)], name="left-spinning", daemon=True).start()
        time.sleep(2.5)
"""
IDLE = """
    import threading, time
    def test_leaves_a_thread_waiting():
        threading.Thread(target=threading.Event().wait, name="left-waiting", daemon=True).start()
        time.sleep(2.5)
"""


def run_with_guard(tmp_path, source):
    test = tmp_path / "test_guarded.py"
    test.write_text(textwrap.dedent(source))
    env = {**os.environ, "MWS_TEST_BUSY_THREAD_SECONDS": "1"}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "tests.conftest",
                           str(test)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_a_thread_left_computing_fails_the_run_naming_it(tmp_path):
    done = run_with_guard(tmp_path, SPINNING)
    assert done.returncode == 1, done.stdout
    assert "1 passed" in done.stdout and "threads left computing after their tests" in done.stdout
    assert "left-spinning" in done.stdout


def test_a_thread_left_waiting_does_not(tmp_path):
    done = run_with_guard(tmp_path, IDLE)
    assert done.returncode == 0, done.stdout
    assert "threads left computing" not in done.stdout
