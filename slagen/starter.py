"""The commented starter contract that `slagen init` writes."""

from pathlib import Path

STARTER = Path(__file__).resolve().parent / "data" / "starter.yaml"


def starter_text() -> str:
    return STARTER.read_text(encoding="utf-8")
