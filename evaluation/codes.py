"""Kept for older imports: the code lists now live in :mod:`evaluation.vocab`."""
from .vocab import *  # noqa: F401,F403
