"""`mws-component sandbox` (mws_sandbox.cli.main): prints where and how to connect, stops on SIGTERM."""

import json
import signal
import subprocess
import sys

from mws_sandbox import cli
from mws_sandbox.clock import SandboxClock

from .conftest import EARLY, Caller


def read_banner(process):
    """The URL line and the credentials JSON the CLI prints at start."""
    url_line = process.stdout.readline()
    assert url_line.startswith("MWS sandbox listening on http://127.0.0.1:"), url_line
    assert process.stdout.readline().startswith("Credentials")
    lines = []
    while not lines or lines[-1] != "}\n":
        lines.append(process.stdout.readline())
    return url_line.split()[4], json.loads("".join(lines))


def test_cli_serves_until_sigterm():
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from mws_sandbox.cli import main; sys.exit(main(sys.argv[1:]))",
         "--port", "0", "--seed", "4", "--orders", "15", "--time-scale", "10", "--fault-seed", "3"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url, credentials = read_banner(process)
        assert credentials["endpoint"] == url
        assert set(credentials) == {"accessKeyId", "secretAccessKey", "sellerId", "marketplaceId", "endpoint"}

        class Remote:  # just what Caller needs from a Sandbox
            def __init__(self):
                self.url, self.credentials = url, credentials
                self.clock = SandboxClock()
        response = Caller(Remote()).list_orders(CreatedAfter=EARLY)
        assert response.status_code == 200, response.text
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
        assert "stopped" in process.stdout.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_cli_does_not_echo_a_secret_it_was_given():
    process = subprocess.Popen(
        [sys.executable, "-m", "mws_sandbox.cli", "--secret-key", "my-own-secret", "--seller-id", "A2MYSELLER",
         "--access-key", "AKIAMYKEY0001", "--auth-token", "amzn.mws.tok"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _, credentials = read_banner(process)
        assert credentials["secretAccessKey"] == "(as given by --secret-key)"
        assert (credentials["sellerId"], credentials["accessKeyId"], credentials["mwsAuthToken"]) == \
            ("A2MYSELLER", "AKIAMYKEY0001", "(as given by --auth-token)")
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_cli_refuses_bad_fault_rates(capsys):
    assert cli.main(["--fault-500", "1.5"]) == 2
    assert "between 0 and 1" in capsys.readouterr().err


def test_cli_flags_map_to_the_python_api():
    args = cli.build_parser().parse_args([
        "--fault-throttle", "0.2", "--fault-500", "0.05", "--fault-drop", "0.02", "--fault-truncate", "0.01",
        "--fault-slow", "0.1", "--fault-slow-seconds", "0.5", "--fault-seed", "9", "--change-interval", "2",
        "--no-quotas", "--host", "127.0.0.2"])
    assert (args.fault_throttle, args.fault_500, args.fault_drop, args.fault_truncate, args.fault_slow,
            args.fault_slow_seconds, args.fault_seed) == (0.2, 0.05, 0.02, 0.01, 0.1, 0.5, 9)
    assert (args.change_interval, args.no_quotas, args.host) == (2.0, True, "127.0.0.2")
