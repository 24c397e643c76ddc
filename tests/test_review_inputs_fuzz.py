"""Random --since registers and --policy files: each is read, or refused as the user's mistake
(UsageError, InvalidInput, PolicyError); no other exception ever escapes."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slagen.errors import SlagenError

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                    st.text(max_size=30), st.sampled_from(["1.0.0", "-", "agreement", "sow", "termination", "30%",
                                                           "72h", "9" * 60, "availability.credit_cap",
                                                           "priorities[*].response", "parties"]))
values = st.recursive(scalars, lambda children: st.one_of(
    st.lists(children, max_size=4),
    st.dictionaries(st.sampled_from(["id", "document", "version", "sha256", "register", "limits", "field", "min",
                                     "max", "why", "never_override", "override_needs_reason",
                                     "newer_version_blocks"]), children, max_size=5)), max_leaves=20)

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(values)
def test_any_json_given_to_since_is_read_or_refused(data):
    from slagen.review.review import load_recorded

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "review.json"
        path.write_text(json.dumps(data, allow_nan=True))
        try:
            recorded = load_recorded(path)
        except SlagenError:
            return
        for (document, clause), entry in recorded.items():
            assert document in ("", "agreement", "sow") and isinstance(clause, str)
            assert isinstance(entry.version, str) and isinstance(entry.sha16, str)


@FUZZ
@given(values)
def test_any_yaml_given_to_policy_is_read_or_refused(data):
    from ruamel.yaml import YAML

    from slagen.review.policy import load_policy

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "policy.yaml"
        with path.open("w", encoding="utf-8") as handle:
            YAML(typ="safe", pure=True).dump(data, handle)
        try:
            policy = load_policy(path)
        except SlagenError:
            return
        assert all(isinstance(c, str) for c in policy.never_override)
        assert isinstance(policy.override_needs_reason, bool)
