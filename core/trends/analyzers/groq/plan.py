"""The Groq analyzer's plan: which posts are sent, rendered and split into chunks that fit the token
budget, with one cache key per chunk (its posts, model, prompt version)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from core.errors import ConfigError
from core.settings import Settings
from core.trends.analyzers.groq import prompt
from core.trends.clean import BotRules
from core.trends.posts import Post


@dataclass
class Plan:
    posts: list[Post]
    chunks: list[list[dict]]
    date_range: list[str]
    midpoint: str
    model: str

    def messages(self, index: int) -> list[dict[str, str]]:
        return prompt.messages(self.chunks[index], self.date_range, self.midpoint)

    def cache_key(self, index: int) -> str:
        payload = {
            "version": prompt.PROMPT_VERSION,
            "model": self.model,
            "posts": self.chunks[index],
            "date_range": self.date_range,
            "midpoint": self.midpoint,
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def make_plan(posts: list[Post], settings: Settings, config: dict[str, dict[str, Any]]) -> Plan:
    """The posts to send (cleaned, sampled to `max_posts`), rendered and chunked to `chunk_tokens`."""
    a = config["analysis"]
    bots = BotRules.from_config(settings.section("trends").get("import", {}))
    used = prompt.select_posts(posts, int(a["max_posts"]), bots)
    if not used:
        return Plan([], [], [], "", settings.groq_model)
    stamps = [p.created_utc for p in used]
    middle = (stamps[0] + stamps[-1]) // 2
    midpoint = prompt.iso_date(middle)
    rendered = [
        prompt.render_post(
            p,
            period="early" if p.created_utc < middle else "late",
            max_chars=int(a["max_post_chars"]),
            max_comments=int(a["max_comments"]),
            comment_chars=int(a["max_comment_chars"]),
        )
        for p in used
    ]
    date_range = [prompt.iso_date(stamps[0]), prompt.iso_date(stamps[-1])]
    budget = int(a["chunk_tokens"]) - prompt.prompt_overhead(date_range, midpoint)
    if budget < 200:
        raise ConfigError("config/llm.toml [analysis] chunk_tokens is too small for the prompt; raise it")
    return Plan(used, prompt.chunk(rendered, budget), date_range, midpoint, settings.groq_model)
