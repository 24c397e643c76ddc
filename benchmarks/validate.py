"""`slagen validate` on the reference contract against check-jsonschema on the same file.

Both run as fresh processes, interleaved, in the same run. Goal: slagen is no slower
(ratio <= 1.0), although it checks far more than the schema can (references, time zones,
holiday regions, durations) and reports in plain words.
"""

import statistics

from _timing import BIN, summary, time_commands

CONTRACT = "examples/acme-dental.yaml"


def main() -> None:
    times = time_commands({
        "slagen validate": [str(BIN / "slagen"), "validate", CONTRACT],
        "check-jsonschema": [str(BIN / "check-jsonschema"), "--schemafile", "schema/slagen.schema.json", CONTRACT],
    })
    for name, samples in times.items():
        print(f"{name:18} {summary(samples)}")
    ratio = statistics.median(times["slagen validate"]) / statistics.median(times["check-jsonschema"])
    print(f"ratio slagen/check-jsonschema: {ratio:.2f}  (goal <= 1.00)")


if __name__ == "__main__":
    main()
