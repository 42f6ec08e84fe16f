"""The agents' prompt files, shipped as package data (`negoprep` reads them with importlib.resources)."""
