"""Running a function as the platform would, in the component's integration tests."""

from mws_tools.runner import LocalContext, run_function


def run(name, cfg, body, **fields):
    """The LocalContext after `name` ran once with the message body `body` and `fields` added to cfg."""
    ctx = LocalContext(out=None, flow_type="ordinary")
    return run_function(name, cfg | fields, {"body": body}, {}, ctx=ctx)


def only_data(ctx):
    """The bodies of the data events, after checking there was no error."""
    errors = [e for e in ctx.events if e["event"] == "error"]
    assert not errors, errors
    return [e["body"] for e in ctx.events if e["event"] == "data"]
