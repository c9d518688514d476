"""Pure computation on validated inputs: tables, recoding, disclosure control (with cell references),
key figures read from protected cells, goals judged on key figures, fact checks and charts.
"""
