"""The contract's clocks in a PSA: its SLA configuration written from the contract, and audited against it.

    from slagen.psa import export_configuration, audit_configuration
    document = export_configuration(contract, positions, "zendesk")   # JSON-ready dict
    differences, notes = audit_configuration(contract, positions, "zendesk", config_dict)

Tools with an API that accepts SLA configuration (``API_TOOLS``) get the objects in that API's
documented shape (``slagen.psa.<tool>``); tools without one (``SHEET_TOOLS``: Jira Service
Management, ServiceNow) get a setup sheet a person follows screen by screen (``sheet``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from slagen.errors import UsageError
from slagen.psa import autotask, connectwise, freshworks, halopsa, zendesk
from slagen.psa.audit import compare
from slagen.psa.plan import Settings, SlaPlan, sla_plan
from slagen.psa.shapes import ShapeError
from slagen.psa.sheet import SHEET_TOOLS, setup_sheet

__all__ = ["API_TOOLS", "SHEET_TOOLS", "TOOL_NAMES", "export_configuration", "audit_configuration", "setup_sheet",
           "sla_plan", "MAX_CONFIG_BYTES"]

MAX_CONFIG_BYTES = 20 * 1024 * 1024  # a tool's whole SLA set-up is kilobytes; more is not a configuration


@dataclass(frozen=True)
class ApiTool:
    key: str
    name: str
    documentation: tuple[str, ...]
    export: Callable[[SlaPlan], dict]
    read: Callable[[dict, SlaPlan], Settings]
    expected: Callable[[SlaPlan], Settings]


API_TOOLS: dict[str, ApiTool] = {
    "zendesk": ApiTool("zendesk", zendesk.NAME, tuple(zendesk.DOCUMENTATION), zendesk.export, zendesk.read,
                       zendesk.expected),
    "freshdesk": ApiTool("freshdesk", "Freshdesk", tuple(freshworks.FRESHDESK.documentation),
                         lambda plan: freshworks.export(freshworks.FRESHDESK, plan),
                         lambda res, plan: freshworks.read(freshworks.FRESHDESK, res, plan), freshworks.expected),
    "freshservice": ApiTool("freshservice", "Freshservice", tuple(freshworks.FRESHSERVICE.documentation),
                            lambda plan: freshworks.export(freshworks.FRESHSERVICE, plan),
                            lambda res, plan: freshworks.read(freshworks.FRESHSERVICE, res, plan),
                            freshworks.expected),
    "halopsa": ApiTool("halopsa", halopsa.NAME, tuple(halopsa.DOCUMENTATION), halopsa.export, halopsa.read,
                       halopsa.expected),
    "connectwise": ApiTool("connectwise", connectwise.NAME, tuple(connectwise.DOCUMENTATION), connectwise.export,
                           connectwise.read, connectwise.expected),
    "autotask": ApiTool("autotask", autotask.NAME, tuple(autotask.DOCUMENTATION), autotask.export, autotask.read,
                        autotask.expected),
}
TOOL_NAMES = tuple(API_TOOLS) + tuple(SHEET_TOOLS)


def _known(tool: str) -> str:
    key = tool.strip().lower()
    if key not in TOOL_NAMES:
        import difflib

        close = difflib.get_close_matches(key, TOOL_NAMES, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise UsageError(f"error: --tool '{tool}' is not a tool slagen configures{hint}; choose one of "
                         + ", ".join(TOOL_NAMES))
    return key


def export_configuration(contract, positions, tool: str) -> dict:
    """The tool's SLA configuration for the contract (API tools only; see ``setup_sheet``)."""
    key = _known(tool)
    if key not in API_TOOLS:
        raise UsageError(f"error: {SHEET_TOOLS[key][0]} has no API for SLA configuration: slagen writes a setup "
                         "sheet for it, with --format md or pdf")
    return API_TOOLS[key].export(sla_plan(contract, positions))


def audit_configuration(contract, positions, tool: str, configuration: dict, source: str = "configuration"):
    """(differences, notes) between the tool's configuration and the contract; ``source`` names
    the configuration in errors."""
    key = _known(tool)
    if key not in API_TOOLS:
        raise UsageError(f"error: slagen cannot read {SHEET_TOOLS[key][0]}'s SLA configuration (it has no API for "
                         "it); compare its screens with the setup sheet of `slagen psa export`")
    if not isinstance(configuration, dict):
        raise UsageError(f"{source}: error: the configuration must be a JSON object: the file `slagen psa export` "
                         "wrote, or the "
                         "tool's list responses gathered under their keys")
    tool_def = API_TOOLS[key]
    plan = sla_plan(contract, positions)
    if configuration.get("slagen_psa_export") is not None:
        if configuration.get("tool") not in (None, key):
            raise UsageError(f"{source}: error: the configuration was written for {configuration.get('tool')}, "
                             f"not {key}")
        resources = configuration.get("resources")
    else:
        resources = configuration
    if not isinstance(resources, dict):
        raise UsageError(f"{source}: error: the configuration's 'resources' must be an object")
    try:
        have = tool_def.read(resources, plan)
    except ShapeError as exc:
        raise UsageError(f"{source}: error: {exc}") from None
    except (AttributeError, TypeError, KeyError, ValueError, OverflowError) as exc:
        # An object where a list was expected, a number where an object was: not the API's shape.
        raise UsageError(f"{source}: error: the configuration is not in {tool_def.name}'s shape "
                         f"({type(exc).__name__}: {exc}); give the tool's list responses as its API returns them, "
                         "or the file `psa export` wrote") from None
    return compare(plan, tool_def.name, tool_def.expected(plan), have)
