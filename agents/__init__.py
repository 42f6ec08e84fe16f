"""The agents: each module one async LangGraph node and its `AGENT` declaration; `registry` lists the
preparation's agents in report order."""
