"""Per-contract changes to the clause library: omit a clause, replace its text, or add one."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from slagen.model import limits
from slagen.model.base import Section
from slagen.model.types import Id, Text

# A Markdown thematic break ('---', '***', '___' alone on a line): each one starts a new page.
_PAGE_BREAK = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$", re.MULTILINE)


def page_breaks(markdown: str) -> int:
    """The page breaks a clause text asks for (an upper bound: a '---' under a line of text is a heading)."""
    return len(_PAGE_BREAK.findall(markdown))


class ClauseOverride(Section):
    id: Id = Field(description="The library clause to change, or the id of a new clause.")
    action: Literal["omit", "replace", "add"] = Field(
        description="omit leaves the library's clause out, replace puts this text in its place, add brings in a "
                    "clause the library does not have.",
    )
    title: Text | None = Field(
        default=None,
        description="The heading of an added or replacing clause; the library's heading when left out.",
    )
    text: Text | None = Field(default=None, description="The clause text (Markdown) for replace and add.")
    after: Id | None = Field(default=None, description="For add: the clause the new one follows.")
    document: Literal["agreement", "sow"] = Field(
        default="agreement",
        description="The document whose clause this changes: the agreement or the statement of work (sow).",
    )
    reason: Text | None = Field(default=None, description="Why the change was agreed; shown to legal.")

    @field_validator("text")
    @classmethod
    def _bounded_text(cls, value: str | None) -> str | None:
        if value is None:
            return value
        if len(value) > limits.LONGEST_CLAUSE_TEXT:
            raise ValueError(f"the clause text has {len(value):,} characters; a clause can have at most "
                             f"{limits.LONGEST_CLAUSE_TEXT:,} (about eight pages): split it, or shorten it")
        breaks = page_breaks(value)
        if breaks > limits.MOST_PAGE_BREAKS_PER_CLAUSE:
            raise ValueError(f"the clause text has {breaks:,} page breaks ('---' lines); a clause can have at "
                             f"most {limits.MOST_PAGE_BREAKS_PER_CLAUSE}")
        return value

    @model_validator(mode="after")
    def _text_where_needed(self) -> "ClauseOverride":
        if self.action in ("replace", "add") and self.text is None:
            raise ValueError(f"a clause to {self.action} needs its 'text'")
        if self.action == "add" and self.title is None:
            raise ValueError("a clause to add needs its 'title'")
        return self
