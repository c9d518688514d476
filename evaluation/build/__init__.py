"""The report pipeline: inputs → tables → disclosure control → key figures → goals → sections → one
:class:`evaluation.core.model.Document`; the evaluator's outline; the same report for another period or group.
"""
