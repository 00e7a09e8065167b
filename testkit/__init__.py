"""What the tests and the benchmarks share, importable by both (bench/ never imports tests/).

runtime: the private RabbitMQ broker, the queue topology of one step, a stand-in
of the platform API and runner processes started like sail.sh.
fixture_component: a small component whose functions exercise every part of the
runtime's protocol.
step: `python -m testkit.step FUNCTION --cfg ... --msg ...`, one message through
`mws-component sail` on the local broker (the sail entry point's local example).
"""
