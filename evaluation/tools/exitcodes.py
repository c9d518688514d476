"""The ``evaluation`` command's exit codes that more than one module gives (README, "Exit codes")."""

#: A command stopped by Ctrl-C or SIGTERM (128 + SIGINT, as a shell gives it).
INTERRUPTED = 130
