"""WeasyPrint's layout steps on a box made cheaper, the same PDF byte for byte (:func:`apply`).

Like :mod:`evaluation.renderers.weasyspeed`, of which it is the layout's part: each function
replaces one step with one that gives the same result, checks first that the library still does
it the way the replacement knows (the names and constants of its code), and else leaves it as
it is (``tests/test_pdf.py``).
"""
from __future__ import annotations

import functools

from evaluation.renderers import weasyspeed


def apply() -> None:
    """Every replacement of this module (each once a process)."""
    _normal_flow_in_one_look()


def _fingerprint(function) -> tuple:
    """The strings (:func:`evaluation.renderers.weasyspeed.strings_in`, those in tuples too, but its
    docstring) and the names a function's code holds: what tells one version of it from another."""
    code = function.__code__
    return frozenset(c for c in weasyspeed.strings_in(code, tuples=True) if " " not in c), frozenset(code.co_names)


#: What WeasyPrint's ``Box.is_in_normal_flow`` and the five tests it makes hold (:func:`_fingerprint`)
#: where :func:`_normal_flow_in_one_look` gives what it gives.
_FLOW = {
    "is_in_normal_flow": (frozenset(), frozenset({"is_floated", "is_absolutely_positioned", "is_running",
                                                 "is_footnote", "is_note"})),
    "is_floated": (frozenset({"float", "left", "right", "inline-start", "inline-end"}), frozenset({"style"})),
    "is_absolutely_positioned": (frozenset({"position", "absolute", "fixed"}), frozenset({"style"})),
    "is_running": (frozenset({"position", "running()"}), frozenset({"style"})),
    "is_footnote": (frozenset({"float", "footnote"}), frozenset({"style"})),
    "is_note": (frozenset({"position", "note()"}), frozenset({"style"})),
}
_FLOATED = ("left", "right", "inline-start", "inline-end")
_ABSOLUTE = ("absolute", "fixed")


@functools.cache
def _normal_flow_in_one_look() -> None:
    """Let WeasyPrint tell whether a box is in the normal flow by one look at its style, not five
    calls that each look.

    It asks some 19 000 times a bench report: 1 % of a bench PDF's CPU (0.8–1.5 %, A/B in one
    process, 48 bench PDFs twice). The float and the position are read in the order the five
    tests read them, and the answer is theirs. A WeasyPrint whose tests differ (:data:`_FLOW`),
    or whose boxes answer one of them their own way, is left as it is.
    """
    from weasyprint.formatting_structure import boxes

    box = boxes.Box
    if any(not hasattr(box, name) or _fingerprint(getattr(box, name)) != known for name, known in _FLOW.items()):
        return
    if any(name in vars(kind) for kind in vars(boxes).values() if isinstance(kind, type) and issubclass(kind, box)
           and kind is not box for name in _FLOW):
        return
    way = box.is_in_normal_flow

    def in_normal_flow(self):
        style = self.style
        floated = style["float"]
        if floated in _FLOATED:
            return False
        position = style["position"]
        return not (position in _ABSOLUTE or position[0] == "running()" or floated == "footnote"
                    or position[0] == "note()")

    in_normal_flow.__wrapped__ = way
    box.is_in_normal_flow = in_normal_flow
