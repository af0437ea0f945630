"""Black Forest Labs FLUX backgrounds: client (HTTP), prompt (scene -> words), backend (cache, costs), errors."""
