"""When the provider is open: time zone, weekly windows, public holidays, closures."""

from __future__ import annotations

import difflib
from functools import lru_cache

from pydantic import Field, field_validator, model_validator

from slagen.model import holiday_regions
from slagen.model import limits
from slagen.model.base import Section
from slagen.model.types import ContractDate, PartError, WeeklyHoursField


# Names in the zone database that are no place's time: 'localtime' (and 'posixrules') follow
# whatever the computer running slagen is set to, so one contract would keep different hours on
# different machines; 'Factory' is a placeholder for machines not yet set up.
HOST_ZONES = frozenset({"localtime", "posixrules", "Factory"})


@lru_cache(maxsize=None)
def _known_zones() -> frozenset[str]:
    from zoneinfo import available_timezones

    return frozenset(available_timezones())


class HolidayCalendar(Section):
    country: str = Field(description="ISO 3166 country code, such as GB, US or DE.")
    subdivision: str | None = Field(
        default=None, description="Region within the country, such as ENG, SCT, CA or BY."
    )
    only: list[str] | None = Field(
        default=None,
        description="Close only on these public holidays, by the holidays package's names "
        "(such as 'New Year's Day', 'Christmas Day'); the others are working days.",
    )
    except_: list[str] = Field(
        default_factory=list,
        alias="except",
        description="Public holidays on which support stays open, by the holidays package's names "
        "(such as 'Columbus Day').",
    )

    @model_validator(mode="after")
    def _known_to_holidays(self) -> "HolidayCalendar":
        subdivisions = holiday_regions.subdivisions(self.country)
        if subdivisions is None:
            raise PartError(
                "country",
                f"no public holidays are known for country '{self.country}': "
                "use an ISO 3166 code such as GB, US, DE or FR"
            )
        if self.subdivision is not None and self.subdivision not in subdivisions:
            # Every region is listed (114 at most): a list cut short may hide the one the user needs.
            close = difflib.get_close_matches(self.subdivision.upper(), subdivisions, n=3, cutoff=0.5)
            hint = f" (did you mean {' or '.join(close)}?)" if close else ""
            raise PartError(
                "subdivision",
                f"'{self.subdivision}' is not a region of {self.country} with its own holidays{hint}; "
                f"choose one of {', '.join(subdivisions)}"
            )
        for key, names in (("only", self.only or []), ("except", self.except_)):
            self._names_known(key, names)
        return self

    def _names_known(self, key: str, names: list[str]) -> None:
        if not names:
            return
        from slagen.model.holiday_choice import known_names

        known = known_names(self.country, self.subdivision)
        for index, name in enumerate(names):
            if name not in known:
                region = f"{self.country}-{self.subdivision}" if self.subdivision else self.country
                raise PartError(
                    (key, index),
                    f"'{name}' is not a public holiday of {region}; the names are: " + ", ".join(known),
                )

    def choice(self):
        """This calendar's holidays as the clock takes them."""
        from slagen.model.holiday_choice import HolidayChoice

        return HolidayChoice(
            self.country,
            self.subdivision,
            frozenset(self.only) if self.only is not None else None,
            frozenset(self.except_),
        )


class SupportHours(Section):
    timezone: str = Field(description="IANA time zone the hours are kept in, such as Europe/London.")
    weekly: WeeklyHoursField = Field(description="Open windows by day of the week, or '24x7'.")
    holidays: HolidayCalendar | None = Field(
        default=None, description="Public holidays on which support is closed."
    )
    extra_closures: list[ContractDate] = Field(
        default_factory=list, max_length=limits.MOST_CLOSURES, description="Further dates on which support is closed."
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if value in HOST_ZONES or value.startswith(("posix/", "right/")):
            raise ValueError(
                f"'{value}' is not the time zone of a place (it follows the computer slagen runs on, or is a "
                "placeholder), so support hours would move from machine to machine: name the zone where "
                "support is given, such as Europe/London"
            )
        if value not in _known_zones():
            raise ValueError(
                f"'{value}' is not a time zone: use an IANA name such as Europe/London or America/New_York"
            )
        return value
