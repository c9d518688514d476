"""A warm kernel: started once, imports once, runs report after report.

Papermill runs each report's notebook in it through its own API (``km=``), so batch
rendering does not pay for a kernel start and the imports of pandas, matplotlib and seaborn
per report. Between reports the user namespace is reset (``%reset -f``), so no variable of
one report reaches the next; what stays are imported modules, which hold no report data.
"""
from __future__ import annotations

from .errors import RenderError

#: Imported once when the kernel starts (what every report needs).
WARM_UP = "import evaluation.report, evaluation.charts, evaluation.renderers.html"


class KernelDied(RenderError):
    """The kernel stopped while running a report (out of memory, killed)."""


class WarmKernel:
    """One kernel process kept alive across reports."""

    def __init__(self, kernel_name: str = "python3", timeout: float = 120):
        from jupyter_client.manager import KernelManager

        self.timeout = timeout
        self.km = KernelManager(kernel_name=kernel_name)
        self.km.start_kernel(extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
        self.run(WARM_UP)

    def run(self, code: str) -> None:
        """Run ``code`` silently and wait until it is done."""
        client = self.km.client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=self.timeout)
            msg_id = client.execute(code, silent=True, store_history=False)
            while True:
                reply = client.get_shell_msg(timeout=self.timeout)
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
        except Exception as exc:  # no reply: the kernel is gone or hangs
            raise KernelDied(f"Kärnan svarar inte ({type(exc).__name__}).") from None
        finally:
            client.stop_channels()
        if reply["content"].get("status") != "ok":
            raise RenderError(f"Kärnan kunde inte förberedas: {reply['content'].get('evalue', '')}")

    def reset(self) -> None:
        """Forget every variable of the previous report."""
        self.run("get_ipython().run_line_magic('reset', '-f')\nimport matplotlib.pyplot as _p; _p.close('all'); del _p")

    @property
    def alive(self) -> bool:
        return self.km.is_alive()

    def shutdown(self) -> None:
        try:
            self.km.shutdown_kernel(now=True)
        except Exception:  # already gone
            pass
