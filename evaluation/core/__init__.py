"""The core every layer stands on: errors, vocabulary (every label, mark and slug spelled once),
formatting, the report model (frozen blocks), markup, the shipped font and the personal-data detector.
Imports nothing else of the package.
"""
