"""The ``natosim`` command line: parse, call the layers below, print, exit 2 on bad input."""

from sim.cli.main import main

__all__ = ["main"]
