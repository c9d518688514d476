"""Running reports: the notebook in a (warm) kernel, rendering, batches, fingerprints, publishing
(the only writer of output folders) and the index.
"""
import sys

# nbformat validates notebooks with jsonschema, which at import looks for optional format
# checkers; one of them (rfc3987_syntax, installed for JupyterLab's event schemas) compiles a
# grammar when imported: 0.75 s on every render, before the first report could start. Notebook
# schemas use none of its formats, so a rendering process never loads it (JupyterLab, its own
# process, still does).
sys.modules.setdefault("rfc3987_syntax", None)
