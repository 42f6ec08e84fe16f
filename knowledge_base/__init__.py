"""The knowledge-base entries, shipped as package data (`negoprep` reads them with importlib.resources)."""
