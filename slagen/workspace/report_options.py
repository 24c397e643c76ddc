"""The attainment report's options, as the web form and the API send them: the command line's
``--preset``, ``--columns``, ``--priority-map``, ``--time-format``, ``--export-timezone``,
``--delimiter``, ``--max-rejected`` and ``--no-response-data``.

The form's fields are read here into one plain, picklable value (``ReportOptions``) that travels
to the render worker, where the engine's own ``column_map`` checks and applies it; nothing about
reading exports is decided in the workspace. Field names:

* ``preset``: a preset's name, ``detect`` (recognise it from the export's header) or empty
  (slagen's own column names);
* ``columns`` and ``priority_map``: the command line's ``NAME=VALUE`` lists (for the API);
* ``column_<field>``: the export's header for one field (the form's selects);
* ``priority_label_<n>`` with ``priority_to_<n>``: one row of the priority map each (the form:
  the export's labels, each with a select of the contract's priorities), so a label may hold
  commas or ``=``;
* ``time_format``, ``export_timezone``, ``delimiter``, ``max_rejected`` (a percentage),
  ``no_response_data`` (any of on, yes, true, 1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction



class OptionError(ValueError):
    """An option the form or the API got wrong; the page says ``message`` (report_page.py). Not
    the workspace's own error type: this module also runs in the render workers, which know
    nothing of the store."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.message, self.status = message, status

DETECT = "detect"
MOST_ROWS = 200  # priority-map rows a form may hold; an export has a handful of labels
LONGEST_VALUE = 500
_TRUE = {"on", "yes", "true", "1"}

# The command line's option names in an engine message, as the form calls the same fields.
FORM_WORDS = (
    ("--max-rejected 100 reports anyway", "'At most this percent of rows unused' at 100 reports anyway"),
    ("--max-rejected", "'At most this percent of rows unused'"),
    ("--priority-map LABEL=ID", "the priority map below"),
    ("--priority-map", "the priority map"),
    ("--columns", "the column map"),
    ("--time-format", "the time format"),
    ("--export-timezone", "the export's time zone"),
    ("--delimiter", "the delimiter"),
    ("--no-response-data", "'The export has no first-response times'"),
    ("--period", "the period"),
)


def in_form_words(message: str) -> str:
    """An engine message with the command line's option names replaced by the form's fields."""
    for cli, form in FORM_WORDS:
        message = message.replace(cli, form)
    return message


@dataclass(frozen=True)
class ReportOptions:
    preset: str = ""  # "", a preset's name, or "detect"
    columns: dict[str, str] = field(default_factory=dict)
    priority_map: dict[str, str] = field(default_factory=dict)
    time_format: str = ""
    export_timezone: str = ""
    delimiter: str = ""
    max_rejected: str = "5"  # percent, as typed; checked by ``max_rejected_fraction``
    no_response: bool = False

    @classmethod
    def of(cls, value: "ReportOptions | dict | str | None") -> "ReportOptions":
        """A preset's name (how the workspace asked for a report before options), options, or
        options as a plain dict (as the durable queue stores a job's arguments in JSON)."""
        if isinstance(value, ReportOptions):
            return value
        if isinstance(value, dict):
            return cls(**{k: v for k, v in value.items() if k in cls.__dataclass_fields__})
        return cls(preset=value or "")

    def max_rejected_fraction(self) -> Fraction:
        text = self.max_rejected.strip() or "5"
        if not re.fullmatch(r"\d{1,3}(\.\d{1,4})?", text) or Fraction(text) > 100:
            raise OptionError(f"'{text[:40]}' is not a percentage from 0 to 100 for the most rows a report may "
                              "leave unused")
        return Fraction(text)

    def column_map(self, tickets: str | None = None):
        """The engine's column map for these options; with ``detect``, the preset recognised from
        the export at ``tickets`` (none when nothing fits: slagen's own names). Raises the
        engine's UsageError for a mistake."""
        from slagen.report.presets import column_map

        preset = None if self.preset in ("", DETECT) else self.preset
        columns = column_map(preset, self.columns, self.priority_map, self.time_format or None,
                             export_timezone=self.export_timezone or None, no_response=self.no_response,
                             delimiter=self.delimiter or None)
        if self.preset == DETECT and tickets is not None:
            from slagen.report.export_preview import recognised_columns

            columns, _ = recognised_columns(tickets, columns)
        return columns

    def as_form(self) -> dict:
        """The values the form shows again after an error or a report."""
        return {"preset": self.preset, "time_format": self.time_format, "export_timezone": self.export_timezone,
                "delimiter": self.delimiter, "max_rejected": self.max_rejected, "no_response": self.no_response,
                "columns": dict(self.columns), "priority_map": dict(self.priority_map)}


def _text(form, key: str) -> str:
    value = form.get(key)
    if value is None or not isinstance(value, str):
        return ""
    if len(value) > LONGEST_VALUE:
        raise OptionError(f"the field '{key[:60]}' is longer than {LONGEST_VALUE} characters")
    return value.strip()


def _pairs(text: str, what: str) -> dict[str, str]:
    from slagen.errors import SlagenError
    from slagen.report.presets import parse_pairs

    try:
        return parse_pairs([text], what) if text else {}
    except SlagenError as exc:
        raise OptionError(in_form_words(str(exc).removeprefix("error: "))) from None


def _delimiter(form) -> str:
    raw = form.get("delimiter")
    if isinstance(raw, str) and raw and not raw.strip() and "\t" in raw:  # a tab typed or pasted
        return "\t"
    return _text(form, "delimiter")


def options_from_form(form) -> ReportOptions:
    """The report's options from a submitted form (multipart or urlencoded), or WorkspaceError."""
    from slagen.report.export_preview import MAPPABLE
    from slagen.report.presets import PRESETS

    preset = _text(form, "preset").lower()
    if preset and preset != DETECT and preset not in PRESETS:
        raise OptionError(f"'{preset[:60]}' is not a preset; use one of {', '.join(sorted(PRESETS))}, or "
                          f"'{DETECT}'")
    columns = _pairs(_text(form, "columns"), "--columns")
    for name in MAPPABLE:
        chosen = _text(form, f"column_{name}")
        if chosen:
            columns[name] = chosen
    priority_map = _pairs(_text(form, "priority_map"), "--priority-map")
    keys = [k for k in form.keys() if isinstance(k, str) and re.fullmatch(r"priority_label_\d{1,3}", k)]
    if len(keys) > MOST_ROWS:
        raise OptionError(f"the priority map has more than {MOST_ROWS} rows")
    for key in sorted(keys, key=lambda k: int(k.rsplit("_", 1)[1])):
        label, target = _text(form, key), _text(form, "priority_to_" + key.rsplit("_", 1)[1])
        if label and target:
            priority_map[label] = target
    options = ReportOptions(
        preset=preset, columns=columns, priority_map=priority_map, time_format=_text(form, "time_format"),
        export_timezone=_text(form, "export_timezone"), delimiter=_delimiter(form),
        max_rejected=_text(form, "max_rejected") or "5",
        no_response=_text(form, "no_response_data").lower() in _TRUE)
    options.max_rejected_fraction()  # a mistake told now, on the form, not by the worker
    return options
