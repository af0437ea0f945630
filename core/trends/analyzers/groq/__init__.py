"""Groq LLM trend analysis: client (SDK call + shared retry policy), prompt (schema), merge (map-reduce),
models (what Groq serves today), plan (posts into chunks), errors, analyzer (`GroqAnalyzer`, built by `new_analyzer("groq", ...)`)."""
