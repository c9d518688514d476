"""Exploration for analysts: frames, stable rows, comparisons across reports, the förbund overview.
"""
