"""Imported first by a batch's forkserver (:data:`evaluation.run.workers.PRELOAD`): its garbage
collector is off while it imports what kernels and workers need, and stays off there (it only
imports and forks). Each process forked from it sets what it inherited aside from collection and
turns its own collector on (:func:`evaluation.run.workers.forked`).

Those imports made a hundred collections of a heap that grew to 180 000 objects: the forkserver
was ready on 1.8–1.9 CPU-s, now 1.6–1.7, and its imports are what a batch waits for before its
first report. A forked kernel then answers on 0.13–0.16 CPU-s instead of 0.33–0.39 (its warm-up's
collection walks only what it made itself).
"""
import gc

gc.disable()
