"""`mws-component sandbox` prints the SP-API credentials and endpoints it serves beside MWS."""

import json
import signal
import subprocess
import sys

import requests

from mws_sandbox import cli


def read_spapi_banner(process):
    """The SP-API credentials JSON that follows the MWS part of the banner."""
    line = process.stdout.readline()
    while line and not line.startswith("SP-API"):
        line = process.stdout.readline()
    assert line, "no SP-API section in the banner"
    body = []
    while not body or body[-1] != "}\n":
        body.append(process.stdout.readline())
        assert body[-1], body
    return json.loads("".join(body))


def test_the_banner_prints_the_spapi_credentials_the_sandbox_accepts():
    process = subprocess.Popen(
        [sys.executable, "-m", "mws_sandbox.cli", "--orders", "10", "--token-lifetime", "90",
         "--spapi-region", "EU", "--seed", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        credentials = read_spapi_banner(process)
        assert set(credentials) == {"api", "lwaClientId", "lwaClientSecret", "refreshToken", "sellerId",
                                    "marketplaceId", "endpoint", "lwaEndpoint"}
        assert credentials["api"] == "spapi"
        assert credentials["lwaEndpoint"] == credentials["endpoint"] + "/auth/o2/token"
        assert credentials["marketplaceId"] == "A1PA6795UKMFR9"  # an EU one, as --spapi-region says
        grant = requests.post(credentials["lwaEndpoint"], timeout=10, data={
            "grant_type": "refresh_token", "refresh_token": credentials["refreshToken"],
            "client_id": credentials["lwaClientId"], "client_secret": credentials["lwaClientSecret"]}).json()
        assert grant["expires_in"] == 90
        answer = requests.get(credentials["endpoint"] + "/orders/2026-01-01/orders", timeout=10,
                              params={"createdAfter": "2000-01-01T00:00:00Z", "marketplaceIds": "A1PA6795UKMFR9"},
                              headers={"x-amz-access-token": grant["access_token"]})
        assert answer.status_code == 200, answer.text
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_cli_options_for_the_spapi_face():
    args = cli.build_parser().parse_args(["--token-lifetime", "120", "--spapi-region", "FE"])
    assert (args.token_lifetime, args.spapi_region) == (120.0, "FE")
    assert cli.build_parser().parse_args([]).token_lifetime == 3600
