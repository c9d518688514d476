"""Running reports: the notebook in a (warm) kernel, rendering, batches, fingerprints, publishing
(the only writer of output folders) and the index.
"""
