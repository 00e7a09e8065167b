# compatibility: the sandbox's tests still import this (removed when the sandbox has its own signer)
from .mws.signing import *  # noqa: F401,F403
