"""People named in a text that is published as written (an interview's quotes and themes): a
common Swedish first name followed by a capitalised word, as a full name is written ("Anna
Svensson"). Pure; nothing here echoes a name.

A first name alone is left alone (it names no one to a reader outside the insats), and so is a
name the list lacks: the check points at the usual case, it does not promise to find every name.

>>> name_lines("Stödet var bra.\\nJag träffade Anna Svensson på kontoret.\\nPer vecka två möten.")
[2]
>>> name_lines("Arbetsförmedlingen och Försäkringskassan. Anna berättade.")
[]
"""
from __future__ import annotations

import re

#: Among the most common first names in Sweden (SCB's name statistics), women's and men's.
FIRST_NAMES = frozenset("""
Anna Eva Maria Karin Sara Kristina Lena Emma Kerstin Marie Malin Ingrid Elin Jenny Hanna Linda
Annika Susanne Monica Birgitta Sofia Ida Johanna Carina Elisabeth Inger Ulla Julia Cecilia Helena
Camilla Åsa Katarina Ebba Maja Alice Elsa Wilma Linnea Frida Amanda Fatima Emelie Erika Lisa
Josefin Therese Sandra Anneli Agneta Gunilla Margareta Lars Mikael Anders Johan Erik Per Karl Peter
Jan Thomas Daniel Fredrik Hans Andreas Stefan Mohammed Mohamed Ahmed Ali Mats Marcus Magnus Jonas
Bengt Oskar Alexander Niklas Björn Martin Leif Ulf Henrik Mattias Patrik Göran Christer Joakim
Tommy Robert Emil Sven Kjell Lennart Jonathan Simon Filip Anton Viktor William Lucas Hugo Elias
Oliver Axel Ludvig Isak Adam Olle Nils Gustav Rasmus Sebastian Kevin Dennis Roger Rolf Håkan
Jörgen Tobias Hassan Omar Yusuf
""".split())

_NAME = re.compile(r"(?<![\wÅÄÖåäö])(?:" + "|".join(sorted(FIRST_NAMES)) + r")[ \t]+[A-ZÅÄÖÉ][a-zåäöé]+(?:-[A-ZÅÄÖÉ][a-zåäöé]+)?(?![\wÅÄÖåäö])")


def name_lines(text: str) -> list[int]:
    """The lines (1-based) of ``text`` that name someone by first and last name."""
    return [number for number, line in enumerate(text.split("\n"), start=1) if _NAME.search(line)]
