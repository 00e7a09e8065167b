"""The platform API calls the runtime makes (the elastic.io platform API as sailor-nodejs lib/sailor.js calls it).

Requests use HTTP Basic auth with ELASTICIO_API_USERNAME / ELASTICIO_API_KEY and,
like the Node sailor's REST client, are retried API_REQUEST_RETRY_ATTEMPTS times in
all with a fixed API_REQUEST_RETRY_DELAY on network errors and 5xx answers.
"""

import logging
import threading
import time

import requests

from .inputs import MAX_DEPTH, parse_object

log = logging.getLogger("mws_sailor.api")


class ApiError(Exception):
    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


class PlatformApi:
    def __init__(self, base_uri, username, api_key, retry_attempts=3, retry_delay_ms=100, timeout=30):
        self.base_uri = base_uri.rstrip("/")
        self.auth = (username, api_key)
        self.retry_attempts = max(1, int(retry_attempts))
        self.retry_delay = retry_delay_ms / 1000.0
        self.timeout = timeout
        # A session is not documented as thread-safe; functions run in worker threads.
        self._local = threading.local()

    @property
    def _session(self):
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def request(self, method, path, body=None, expected=(200, 201, 204), what=None):
        """The answer's JSON; with WHAT, read by the runtime's input parser (inputs.py), which
        raises InputError naming WHAT for an answer that is too deep, not an object, and so on."""
        url = self.base_uri + path
        last_error = None
        for attempt in range(1, self.retry_attempts + 1):
            try:
                response = self._session.request(method, url, json=body, auth=self.auth, timeout=self.timeout)
            except requests.RequestException as exc:
                last_error = ApiError(f"{method} {path} failed: {type(exc).__name__}")
            else:
                if response.status_code in expected:
                    if not response.content:
                        return None
                    if what:
                        # One level more than a cfg or snapshot may have: they sit inside the step.
                        return parse_object(response.content, what, max_depth=MAX_DEPTH + 1)
                    return response.json()
                last_error = ApiError(f"{method} {path} answered HTTP {response.status_code}",
                                      response.status_code)
                if response.status_code < 500:
                    raise last_error
            if attempt < self.retry_attempts:
                log.warning("platform API call failed, retrying", extra={"attempt": attempt, "error": str(last_error)})
                time.sleep(self.retry_delay)
        raise last_error

    def get_step(self, flow_id, step_id):
        """{id, comp_id, function, config, snapshot, is_passthrough, variables}."""
        return self.request("GET", f"/v1/tasks/{flow_id}/steps/{step_id}", what="step") or {}

    def update_account_keys(self, account_id, keys):
        return self.request("PUT", f"/v1/accounts/{account_id}", {"keys": keys})

    def store_startup_data(self, flow_id, data):
        path = f"/sailor-support/hooks/task/{flow_id}/startup/data"
        try:
            return self.request("POST", path, data)
        except ApiError as exc:
            if exc.status != 409:
                raise
        # Data of an earlier start is still stored: replace it.
        self.request("DELETE", path)
        return self.request("POST", path, data)

    def get_startup_data(self, flow_id):
        return self.request("GET", f"/sailor-support/hooks/task/{flow_id}/startup/data")

    def delete_startup_data(self, flow_id):
        return self.request("DELETE", f"/sailor-support/hooks/task/{flow_id}/startup/data")
