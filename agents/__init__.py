"""The three agents and the merge, each one async LangGraph node."""
