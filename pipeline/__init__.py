"""negoprep's pipeline: settings, schemas, state, graph, LLM access, I/O and CLI."""

__version__ = "0.1.0"
