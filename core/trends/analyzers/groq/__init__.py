"""Groq LLM trend analysis: client (SDK + retries), prompt (schema), merge (map-reduce), analyzer."""
