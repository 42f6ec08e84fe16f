"""negoprep: case materials in, a verified negotiation preparation report out.

The public Python surface: `prepare(path, settings)` and `aprepare(path, settings)` (see `pipeline.prep.run`),
with `pipeline.settings.load_settings(...)` for the settings they take.
"""

from pipeline.version import __version__
__all__ = ["__version__", "aprepare", "prepare"]


def __getattr__(name: str):
    """`prepare` and `aprepare` load the graph on first use, not when any part of the package is imported."""
    if name in ("aprepare", "prepare"):
        from pipeline.prep import run

        return getattr(run, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
