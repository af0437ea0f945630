"""The canonical Post every importer produces."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Post(BaseModel):
    """One Reddit-style post, whatever source it came from."""

    id: str
    subreddit: str
    title: str
    text: str = ""
    score: int = 0
    num_comments: int = 0
    created_utc: int
    comments: list[str] = Field(default_factory=list)
    url: str = ""
    author: str = ""

    @property
    def full_text(self) -> str:
        """Title, body and comments, one per line: the text every analyzer reads for terms."""
        return f"{self.title}\n{self.text}\n" + "\n".join(self.comments)
