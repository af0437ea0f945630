"""Enhancement Studio: safe loading, cut-out, backgrounds, compositing, presets and QA."""
