"""Black Forest Labs FLUX backgrounds: the HTTP client, the backend that builds prompts, caches and costs."""
