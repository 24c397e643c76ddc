"""Times shown in each person's own time zone.

The database keeps every moment in UTC. A page shows it in the zone the person chose on their
Account page (``users.timezone``), else in the zone their browser reports: static/timezone.js
puts it in the ``slagen_tz`` cookie (and reloads a page once when it was drawn without it).
Without JavaScript, and for a zone the server does not know, times are UTC and say so.

Templates call ``when(moment)`` for a time and ``zone_label()`` for the zone's name beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from fastapi import Request
from jinja2 import pass_context

COOKIE = "slagen_tz"
FALLBACK_NOTE = "UTC: your browser did not say its time zone (JavaScript is off); choose yours on the Account page"



@lru_cache(maxsize=1)
def known_zones() -> tuple[str, ...]:
    from zoneinfo import available_timezones

    return tuple(sorted(z for z in available_timezones() if "/" in z or z == "UTC"))


def is_zone(name: str | None) -> bool:
    return bool(name) and len(name) <= 64 and name in set(known_zones())


@dataclass(frozen=True)
class ShownZone:
    name: str
    source: str  # "profile", "browser" or "fallback" (UTC, because nothing better is known)

    @property
    def zone(self):
        return ZoneInfo(self.name)


def shown_zone(request: Request) -> ShownZone:
    """The zone this request's pages show times in (worked out once per request)."""
    cached = getattr(request.state, "shown_zone", None)
    if cached is not None:
        return cached
    chosen = profile_zone_of(request)
    if is_zone(chosen):
        result = ShownZone(chosen, "profile")
    elif is_zone(request.cookies.get(COOKIE)):
        result = ShownZone(request.cookies[COOKIE], "browser")
    else:
        result = ShownZone("UTC", "fallback")
    request.state.shown_zone = result
    return result


def profile_zone_of(request: Request) -> str | None:
    """The zone the signed-in person chose, as access.need read it with their user row. Never a
    query of its own: a template asking here while its request holds a pooled connection would
    wait for a second one, and 40 such requests at once would wait on each other until the
    pool's timeout (and an error page drawn on the event loop would stall every request)."""
    return getattr(request.state, "profile_zone", None)


def local(moment: datetime, zone: ShownZone) -> datetime:
    if moment.tzinfo is None:  # SQLite gives back what it was given, without the offset: UTC
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(zone.zone)


@pass_context
def when(context, moment: datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    if moment is None:
        return ""
    return local(moment, shown_zone(context["request"])).strftime(pattern)


@pass_context
def zone_label(context) -> str:
    return shown_zone(context["request"]).name


@pass_context
def zone_source(context) -> str:
    return shown_zone(context["request"]).source


@pass_context
def zone_note(context) -> str:
    return FALLBACK_NOTE if shown_zone(context["request"]).source == "fallback" else ""


@pass_context
def profile_zone(context) -> str | None:
    return profile_zone_of(context["request"])


def install(env) -> None:
    """The helpers every template may call."""
    env.globals.update(when=when, zone_label=zone_label, zone_source=zone_source, zone_note=zone_note,
                       known_zones=known_zones, profile_zone=profile_zone)
