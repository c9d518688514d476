"""Reading and validating inputs: parameters, files (CSV, Excel, YAML, Markdown, Word), the register,
the outline (disposition), notices (what was skipped or doubtful). Stands only on core.
"""
