"""The ``evaluation`` program as the system starts it (``[project.scripts]`` in ``pyproject.toml``):
Ctrl-C and a polite stop (SIGTERM) are answered plainly from its first instant.

The command line (:mod:`evaluation.tools.cli`) takes some 0.2 s to load (click and what its
options check). A Ctrl-C in that time showed Python's traceback, as the program that loads it
(made by pip) cannot catch it. SIGTERM, which a scheduler or ``kill`` sends, ended the program
at once: a batch's workers were left to notice by themselves, and the folder of its
forkserver's address (``pymp-…`` in the temporary folder) stayed behind.

Here SIGTERM is answered as Ctrl-C is (:class:`KeyboardInterrupt`): the command stops what it
started, removes what it made, says "Avbrutet." and exits with 130. Only this program does so:
the package imported in a notebook or a script keeps Python's own handling.
"""
from __future__ import annotations

import os
import signal
import sys

from evaluation.tools.exitcodes import INTERRUPTED


def entry() -> None:
    """Answer SIGTERM as Ctrl-C, load the command line and run it (:func:`evaluation.tools.cli.entry`)."""
    signal.signal(signal.SIGTERM, _as_interrupt)
    try:
        from evaluation.tools import cli
    except KeyboardInterrupt:
        sys.stderr.write("Avbrutet.\n")
        sys.stderr.flush()
        os._exit(INTERRUPTED)  # nothing started yet: nothing to stop or remove
    cli.entry()


def _as_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
