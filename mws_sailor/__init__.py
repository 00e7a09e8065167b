"""A Python sailor: runs a component's functions as one step of an elastic.io flow.

It speaks the protocol of the Node.js sailor 2.7.8 (queues, routing keys,
encryption, headers, ack/reject/rebound: sailor-nodejs run.js, lib/*.js) and knows nothing
about the component it runs.

Entry points: `cli.sail_main` (sail.sh: the message loop) and `cli.serve_main`
(serve.sh: verifyCredentials | getMetaModel | selectModel).

Modules: settings (ELASTICIO_* variables), crypto (message encryption), logs
(JSON lines without credentials), api (platform API client), component (finding
functions in component.json), inputs (input JSON and its limits), amqp
(connections, consumer, confirmed publisher), protocol (header rules, the error shape), emitter (what each event publishes), ledger (crash
safety), executor (one message), heartbeat (keeping connections alive while a
function runs), sailor (the loop), service (service calls), throttle (emit rates).

The function contract. component.json's "triggers"/"actions" entries name a
module by "main" (e.g. "./mws_component/triggers/list_orders.py"), imported as a
dotted module with the component root on sys.path. The module exports
`process(ctx, msg, cfg, snapshot)`:

* msg: the decrypted message {"id", "body", "headers", "attachments", "metadata", ...};
  cfg: a copy of the step config (credentials merged in); snapshot: a copy of the
  step's in-memory snapshot.
* ctx.emit(event, payload) for "data" (a message dict with "body", optionally "id"
  and "headers"), "error" (exception or {name, message}), "rebound" (reason),
  "snapshot" / "updateSnapshot" (dict), "updateKeys" (dict), "httpReply" (dict);
  emit returns when the broker has confirmed the publication. Also ctx.logger,
  ctx.flow_type (ELASTICIO_FLOW_TYPE or None), ctx.step_id, ctx.get_flow_variables().
* A truthy return value is emitted as data (a dict without "body" is wrapped as
  {"body": value}); an exception is emitted as the error {name, message, stack};
  the end of `process` is the end of the message: ack when no error was
  emitted, reject (no requeue) otherwise.
* Optional: getMetaModel(cfg) -> {"in", "out"}; select-model functions
  name(cfg) -> {value: label}; init(cfg); startup(cfg); shutdown(cfg, data).
* verifyCredentials: the module named by component.json's "verifyCredentials"
  (none named: every credential is verified) exports verify(cfg) ->
  {"verified": bool, "reason"?: str}; raising means {"verified": false, "reason": message}.
* Input: the message, cfg and snapshot are JSON objects within the limits of
  inputs.py; anything else is answered with an error before `process` is called.
  Errors have one shape, protocol.error_record: {name, message, field?, stack}.

The local runner (mws_tools/runner.py) hosts functions with the same component,
inputs and protocol modules.
"""
