"""Per-contract changes to the clause library: omit a clause, replace its text, or add one."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from slagen.model.base import Section
from slagen.model.types import Id, Text


class ClauseOverride(Section):
    id: Id = Field(description="The library clause to change, or the id of a new clause.")
    action: Literal["omit", "replace", "add"]
    title: Text | None = None
    text: Text | None = Field(default=None, description="The clause text (Markdown) for replace and add.")
    after: Id | None = Field(default=None, description="For add: the clause the new one follows.")
    document: Literal["agreement", "sow"] = "agreement"
    reason: Text | None = Field(default=None, description="Why the change was agreed; shown to legal.")

    @model_validator(mode="after")
    def _text_where_needed(self) -> "ClauseOverride":
        if self.action in ("replace", "add") and self.text is None:
            raise ValueError(f"a clause to {self.action} needs its 'text'")
        if self.action == "add" and self.title is None:
            raise ValueError("a clause to add needs its 'title'")
        return self
