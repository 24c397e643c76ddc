"""The time-zone names Zendesk, Freshdesk and Freshservice use, and the IANA zones they stand for.

These tools name zones as Ruby on Rails does (ActiveSupport::TimeZone: "London", "Eastern Time
(US & Canada)"), not by IANA name. The table holds the Rails names of the zones MSPs' contracts
use most; a contract zone missing from it is refused with the nearest names rather than guessed,
because a wrong zone shifts every target by hours. Several Rails names share one IANA zone
("Edinburgh" and "London"): the first listed is the one written, any of them is accepted back.
"""

from __future__ import annotations

__all__ = ["RAILS_ZONES", "rails_name", "iana_of"]

RAILS_ZONES: dict[str, str] = {
    "UTC": "Etc/UTC",
    "London": "Europe/London", "Edinburgh": "Europe/London",
    "Dublin": "Europe/Dublin", "Lisbon": "Europe/Lisbon",
    "Amsterdam": "Europe/Amsterdam", "Berlin": "Europe/Berlin", "Bern": "Europe/Zurich", "Zurich": "Europe/Zurich",
    "Brussels": "Europe/Brussels", "Copenhagen": "Europe/Copenhagen", "Madrid": "Europe/Madrid",
    "Paris": "Europe/Paris", "Rome": "Europe/Rome", "Stockholm": "Europe/Stockholm", "Vienna": "Europe/Vienna",
    "Warsaw": "Europe/Warsaw", "Prague": "Europe/Prague", "Budapest": "Europe/Budapest",
    "Luxembourg": "Europe/Luxembourg", "Oslo": "Europe/Oslo",
    "Athens": "Europe/Athens", "Bucharest": "Europe/Bucharest", "Helsinki": "Europe/Helsinki",
    "Kyiv": "Europe/Kiev", "Riga": "Europe/Riga", "Sofia": "Europe/Sofia", "Tallinn": "Europe/Tallinn",
    "Vilnius": "Europe/Vilnius", "Istanbul": "Europe/Istanbul", "Moscow": "Europe/Moscow",
    "Jerusalem": "Asia/Jerusalem", "Cairo": "Africa/Cairo", "Pretoria": "Africa/Johannesburg",
    "Nairobi": "Africa/Nairobi", "Casablanca": "Africa/Casablanca",
    "Abu Dhabi": "Asia/Muscat", "Muscat": "Asia/Muscat", "Riyadh": "Asia/Riyadh",
    "Mumbai": "Asia/Kolkata", "New Delhi": "Asia/Kolkata", "Chennai": "Asia/Kolkata", "Kolkata": "Asia/Kolkata",
    "Singapore": "Asia/Singapore", "Hong Kong": "Asia/Hong_Kong", "Beijing": "Asia/Shanghai",
    "Taipei": "Asia/Taipei", "Tokyo": "Asia/Tokyo", "Seoul": "Asia/Seoul", "Bangkok": "Asia/Bangkok",
    "Jakarta": "Asia/Jakarta", "Kuala Lumpur": "Asia/Kuala_Lumpur", "Manila": "Asia/Manila",
    "Perth": "Australia/Perth", "Adelaide": "Australia/Adelaide", "Darwin": "Australia/Darwin",
    "Brisbane": "Australia/Brisbane", "Sydney": "Australia/Sydney", "Canberra": "Australia/Canberra",
    "Melbourne": "Australia/Melbourne", "Hobart": "Australia/Hobart",
    "Auckland": "Pacific/Auckland", "Wellington": "Pacific/Auckland",
    "Hawaii": "Pacific/Honolulu", "Alaska": "America/Juneau",
    "Pacific Time (US & Canada)": "America/Los_Angeles", "Arizona": "America/Phoenix",
    "Mountain Time (US & Canada)": "America/Denver", "Central Time (US & Canada)": "America/Chicago",
    "Eastern Time (US & Canada)": "America/New_York", "Indiana (East)": "America/Indiana/Indianapolis",
    "Atlantic Time (Canada)": "America/Halifax", "Newfoundland": "America/St_Johns",
    "Saskatchewan": "America/Regina", "Mexico City": "America/Mexico_City", "Bogota": "America/Bogota",
    "Lima": "America/Lima", "Santiago": "America/Santiago", "Buenos Aires": "America/Argentina/Buenos_Aires",
    "Brasilia": "America/Sao_Paulo",
}

# IANA names that are other names of a zone in the table (the zone database's links).
_ALIASES = {"Etc/UTC": ("UTC", "Etc/Universal", "Zulu"), "Europe/Kiev": ("Europe/Kyiv",),
            "America/Juneau": ("America/Anchorage",), "Asia/Kolkata": ("Asia/Calcutta",),
            "Asia/Shanghai": ("PRC",), "Pacific/Auckland": ("NZ",), "Europe/London": ("GB",)}
_CANONICAL = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}


def _canonical(iana: str) -> str:
    return _CANONICAL.get(iana, iana)


def rails_name(iana: str) -> str | None:
    """The Rails name written for an IANA zone, or None when the table has none."""
    wanted = _canonical(iana)
    for name, zone in RAILS_ZONES.items():
        if zone == wanted:
            return name
    return None


def iana_of(name: str) -> str | None:
    """The IANA zone a tool's zone name stands for; an IANA name given back is taken as itself."""
    if name in RAILS_ZONES:
        return RAILS_ZONES[name]
    if "/" in name or name == "UTC":
        return _canonical(name)
    return None
