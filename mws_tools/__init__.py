"""Command-line tools around the component: the local runner, the demo, and the CLI."""
