"""Trend analyzers: the offline lexicon analyzer and the Groq LLM analyzer (`groq/`), same report schema."""
