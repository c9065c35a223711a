"""The sweep's progress bar: a widget in a notebook, text on a terminal, none elsewhere."""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["in_notebook", "progress_bar"]


def in_notebook() -> bool:
    """Whether this process is a Jupyter kernel that shows widgets.

    That is IPython's ZMQ shell itself (Jupyter, JupyterLab, VS Code) or Colab's,
    which subclasses it. Not every subclass: Spyder's console is one too, and shows
    no widgets. IPython is not imported here: a process that never imported it is
    no kernel.
    """
    ipython = sys.modules.get("IPython")
    get = getattr(ipython, "get_ipython", None)
    shell = get() if callable(get) else None
    if shell is None:
        return False
    cls = type(shell)
    if cls.__name__ == "ZMQInteractiveShell":
        return True
    zmq = any(c.__name__ == "ZMQInteractiveShell" for c in cls.__mro__)
    return zmq and cls.__module__.startswith("google.colab")


def progress_bar(progress: bool, **options: Any) -> Any:
    """A ``tqdm`` bar with ``options``.

    In a notebook it is tqdm's widget (stderr there is no terminal, so a text bar
    would print nothing useful); elsewhere the text bar, shown only when stderr is
    a terminal (a log file or a pipe gets no carriage returns).

    Args:
        progress: Show the bar at all (False: a disabled bar, which counts silently).
        **options: Passed to ``tqdm`` (``total``, ``initial``, ``unit``, ``desc``...).
    """
    if progress and in_notebook():
        from tqdm.notebook import tqdm as widget

        return widget(**options)
    from tqdm import tqdm

    return tqdm(disable=not (progress and sys.stderr.isatty()), **options)
