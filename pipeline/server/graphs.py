"""The graphs as LangGraph Server serves them (`langgraph dev` / `langgraph up`, see langgraph.json).

Compiled without a checkpointer: the server brings its own persistence (in memory for
`langgraph dev`, Postgres for a deployment). Run settings travel as the run's `context`
(validated into `pipeline.settings.Settings` by the nodes). Importing this module loads no model.
"""

from __future__ import annotations

from pipeline.prep.graph import compile_graph
from pipeline.rehearsal.graph import compile_rehearsal

graph = compile_graph()
rehearsal = compile_rehearsal()
