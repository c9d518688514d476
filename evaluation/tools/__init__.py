"""What evaluators call: the command line (Swedish), project scaffolding, Excel templates, problem
workbooks and the JupyterLab working copies.
"""
