"""Functions of the runtime's test fixture component; each exercises one part of the protocol."""
