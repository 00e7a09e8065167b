"""Amazon MWS connector component for the elastic.io platform."""

from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("mws-component")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+source"
