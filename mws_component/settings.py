"""The component's settings from its environment: one reader for every number."""

import os


def env_float(name, default, *, positive=False):
    """The number in environment variable `name`; `default` when it is unset, not a number,
    or (with `positive`) not above zero."""
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return float(default)
    if positive and not value > 0:
        return float(default)
    return value


def time_scale():
    """Quota clock speed-up for testing against a sandbox started with --time-scale."""
    return env_float("MWS_TIME_SCALE", 1.0, positive=True)


def action_wait_seconds():
    """Seconds an action may wait for SubmitFeed quota before rebounding the message."""
    return env_float("MWS_ACTION_WAIT_SECONDS", 120.0)


def poll_budget_seconds():
    """Seconds one List Orders run may spend waiting for quota; the rest waits for the next tick."""
    return env_float("MWS_POLL_BUDGET_SECONDS", 480.0)
