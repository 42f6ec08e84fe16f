"""Checks of the agents' output against the materials: evidence, citations, numbers, echoes, repeats."""
