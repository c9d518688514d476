"""The core every layer stands on: errors, vocabulary (every label, mark and slug spelled once),
formatting, the report model (frozen blocks), markup, the shipped font, the personal-data detector
and the user's cache folder.
Imports nothing else of the package.
"""
