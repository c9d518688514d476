# JupyterLab's configuration for `make lab` (evaluation.tools.workspace passes it with --config):
# a save to an original notebook in notebooks/ keeps it as it is on disk; nothing there is
# saved as text, created, renamed, moved or deleted from Lab (the contents manager registers the
# hook that keeps them: see evaluation.tools.workspace.originals_kept).
if "get_config" in globals():
    from evaluation.tools.workspace import originals_kept

    c = get_config()  # noqa: F821 - given by Jupyter when it reads this file
    c.ServerApp.contents_manager_class = originals_kept()
