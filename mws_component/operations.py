# compatibility: mws_sandbox still imports this (removed when the sandbox has its own table)
from .mws.operations import *  # noqa: F401,F403
from .mws.operations import FEEDS, OPERATIONS, ORDERS, QuotaGroup  # noqa: F401
