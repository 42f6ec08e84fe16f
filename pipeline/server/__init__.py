"""The team server: the graphs as LangGraph Server serves them."""
