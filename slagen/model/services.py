"""The services in scope, and what is out of scope."""

from __future__ import annotations

from pydantic import Field

from slagen.model.base import Section
from slagen.model.types import Id, Percent, Text


class Service(Section):
    id: Id = Field(description="A short id used to refer to the service.")
    name: Text = Field(description="The service's name as the documents print it.")
    description: Text = Field(description="What the service covers, in a sentence or two.")
    depends_on: list[Id] = Field(
        default_factory=list, description="Ids of the infrastructure components the service needs."
    )
    availability: Percent | None = Field(
        default=None, description="The availability target, such as 99.9%; none for a support-only service."
    )
