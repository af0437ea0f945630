"""Groq LLM trend analysis: client (SDK call + shared retry policy), prompt (schema), merge (map-reduce),
models (what Groq serves today), errors, analyzer (`GroqAnalyzer`, built by `new_analyzer("groq", ...)`)."""
