"""negoprep's version, recorded in every report's provenance."""

__version__ = "0.1.0"
