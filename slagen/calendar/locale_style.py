"""How dates, times, money, numbers and time zones are written, by locale: one place for all.

Every surface that prints a value (clause text, covers, tables, the attainment report, the
redline summary) asks this module, so a US agreement never mixes "February 1, 2027" in its body
with "1 February 2027" on its cover. The forms come from the Unicode CLDR data through babel;
the few choices babel leaves open (British documents keep their 24-hour "17:00" and the
weekday without a comma, as they always have) are made here and nowhere else.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

DEFAULT_LOCALE = "en_GB"

# babel's generic name for Europe/London in en_GB is "British Time"; UK contracts say "UK time".
_ZONE_NAME_OVERRIDES = {("Europe/London", "en"): "UK time"}


def _language(locale: str) -> str:
    return locale.split("_", 1)[0]


def _uses_24_hour_clock(locale: str) -> bool:
    from babel import Locale

    pattern = Locale.parse(locale).time_formats["short"].pattern
    return "H" in pattern  # CLDR: H and k are the 24-hour fields, h and K the 12-hour ones


def format_long_date(value: date, locale: str = DEFAULT_LOCALE) -> str:
    """1 February 2027 (en_GB); February 1, 2027 (en_US)."""
    from babel.dates import format_date

    if isinstance(value, datetime):
        value = value.date()
    return format_date(value, format="long", locale=locale)


def format_clock_time(value: datetime | time, locale: str = DEFAULT_LOCALE) -> str:
    """17:00 where the locale keeps a 24-hour clock; 5:00 PM (the locale's own form) elsewhere."""
    from babel.dates import format_time

    moment = value.time() if isinstance(value, datetime) else value
    if _uses_24_hour_clock(locale):
        return f"{moment:%H:%M}"
    return format_time(moment, format="short", locale=locale)


def format_minutes_of_day(minutes: int, locale: str = DEFAULT_LOCALE) -> str:
    """A time of day given in minutes after midnight: 07:00 (en_GB); 7:00 AM (en_US).

    Support hours, maintenance windows and the hours in which a notice is received are all
    written this way, so a US document never mixes "07:00 to 19:00" with "6:45 PM".
    """
    minutes %= 24 * 60
    return format_clock_time(time(minutes // 60, minutes % 60), locale)


def format_hhmm(text: str, locale: str = DEFAULT_LOCALE) -> str:
    """'17:00' as the locale writes it: 17:00 (en_GB); 5:00 PM (en_US)."""
    hours, minutes = text.split(":")
    return format_minutes_of_day(int(hours) * 60 + int(minutes), locale)


def format_day_and_time(value: datetime, locale: str = DEFAULT_LOCALE) -> str:
    """Friday 8 January 2027 at 17:00 (en_GB); Friday, January 8, 2027 at 5:00 PM (en_US)."""
    from babel.dates import format_date

    if _language(locale) == "en" and _uses_24_hour_clock(locale):
        day = f"{format_date(value.date(), format='EEEE', locale=locale)} {format_long_date(value, locale)}"
    else:
        day = format_date(value.date(), format="full", locale=locale)
    return f"{day} at {format_clock_time(value, locale)}"


def format_money(amount: Decimal, currency: str, locale: str = DEFAULT_LOCALE) -> str:
    """£1,234.50 (en_GB, GBP); $1,234.50 (en_US, USD)."""
    from babel.numbers import format_currency

    return format_currency(Decimal(amount), currency, locale=locale)


def format_number(value: Decimal | int, locale: str = DEFAULT_LOCALE) -> str:
    from babel.numbers import format_decimal

    return format_decimal(Decimal(value).normalize(), format="#,##0.######", locale=locale)


def zone_name(timezone: str, locale: str = DEFAULT_LOCALE) -> str:
    """The time zone as people call it: Central Time (America/Chicago, en_US); UK time."""
    from babel.dates import get_timezone, get_timezone_name

    override = _ZONE_NAME_OVERRIDES.get((timezone, _language(locale)))
    if override:
        return override
    name = get_timezone_name(get_timezone(timezone), "long", locale=locale, zone_variant="generic")
    # CLDR falls back to a city ("Kolkata Time") or an offset ("GMT+05:30") for zones without a
    # name; the IANA id is clearer than an offset that hides daylight saving time.
    return timezone if name.startswith(("GMT", "UTC")) and timezone not in ("UTC", "Etc/UTC") else name
