"""Shared fixtures."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from tests.paths import ROOT

# A shell that starts the suite in the background (``nohup``, ``&`` without job
# control) hands it SIGINT ignored, and a program started from it inherits that:
# the Ctrl-C tests would then see children that never hear the signal. Catching
# it here resets it to the default in every child (an exec keeps an ignored
# signal, not a caught one), as in a terminal.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
