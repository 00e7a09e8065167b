"""A Python sailor: runs a component's functions as one step of an elastic.io flow.

It speaks the protocol of the Node.js sailor 2.7.8 (queues, routing keys,
encryption, headers, ack/reject/rebound) and knows nothing about the component.
Entry points: `mws_sailor.cli.sail_main` (sail.sh) and `mws_sailor.cli.serve_main` (serve.sh).
"""
