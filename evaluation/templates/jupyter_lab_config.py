# JupyterLab's configuration for `make lab` (evaluation.tools.workspace passes it with --config):
# a save to an original notebook in notebooks/ keeps it as it is on disk; nothing there is
# saved as text, created, renamed, moved or deleted from Lab.
# (A string import path would not do: jupyter_server's validator of pre_save_hook imports the
# old value instead of the new one.)
if "get_config" in globals():
    from evaluation.tools.workspace import keep_originals, originals_kept

    c = get_config()  # noqa: F821 - given by Jupyter when it reads this file
    c.FileContentsManager.pre_save_hook = keep_originals
    c.ServerApp.contents_manager_class = originals_kept()  # nor renamed, moved or deleted
