"""The rehearsal: a simulated counterpart, a coach and an after-action review, as a LangGraph graph of its own."""
