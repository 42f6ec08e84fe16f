"""Model access: one `openai` client over pluggable httpx transports."""
