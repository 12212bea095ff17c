#!/usr/bin/env python3
"""Validates Web Annotations against the W3C's Web Annotation test assertions.

    validate.py SPEC_DIR ANNOTATIONS.json [--musts-only]

SPEC_DIR holds the W3C test suite (`annotations/`, `definitions/`, the
`*.test` lists); ANNOTATIONS.json is a JSON list of annotations. Every
assertion of `annotationMusts.test` is checked on every annotation with a
JSON Schema draft-04 validator and its format checkers; the SHOULD and MAY
assertions of the other `.test` lists are counted as met or not (unless
--musts-only). Prints one line per assertion and exits 1 when any MUST
assertion fails. The annotations are shared out among the machine's cores.
"""
import json
import multiprocessing
import os
import pathlib
import sys
import warnings

import jsonschema

warnings.simplefilter("ignore", DeprecationWarning)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def validators(spec, assertions):
    """One draft-04 validator per assertion, refs resolved among the suite's files."""
    store = {}
    for path in list(spec.glob("definitions/*.json")) + list(spec.glob("annotations/**/*.json")):
        schema = load(path)
        store[schema.get("id", path.name)] = schema
    checker = jsonschema.FormatChecker()
    made = []
    for assertion in assertions:
        schema = load(spec / assertion)
        resolver = jsonschema.RefResolver(base_uri=schema.get("id", ""), referrer=schema, store=store)
        validator = jsonschema.Draft4Validator(schema, resolver=resolver, format_checker=checker)
        made.append((validator, schema.get("expectedResult", "valid") == "valid"))
    return made, sorted(checker.checkers)


def failing(job):
    """For each assertion, the indices (from `offset`) of annotations it fails."""
    spec, assertions, annotations, offset = job
    made, _ = validators(spec, assertions)
    return [
        [offset + i for i, a in enumerate(annotations) if v.is_valid(a) != expected]
        for v, expected in made
    ]


def main():
    spec, annotations = pathlib.Path(sys.argv[1]), load(sys.argv[2])
    lists = ["annotationMusts.test"]
    if "--musts-only" not in sys.argv:
        lists += ["annotationOptionals.test", "annotationsAgentOptionals.test"]
    listed = [(name, a) for name in lists for a in load(spec / "annotations" / name)["assertions"]]
    assertions = [a for _, a in listed]
    workers = max(1, min(os.cpu_count() or 1, len(annotations) // 500 or 1))
    size = -(-len(annotations) // workers) if annotations else 0
    jobs = [(spec, assertions, annotations[i:i + size], i) for i in range(0, len(annotations), size or 1)]
    with multiprocessing.Pool(len(jobs) or 1) as pool:
        parts = pool.map(failing, jobs)
    made, formats = validators(spec, assertions)
    failed_musts = 0
    for n, (name, assertion) in enumerate(listed):
        failures = sorted(i for part in parts for i in part[n])
        schema = made[n][0].schema
        kind = schema.get("assertionType", "must")
        line = f"{kind.upper():6} {len(annotations) - len(failures)}/{len(annotations)} {assertion}"
        if name == "annotationMusts.test" and failures:
            failed_musts += 1
            line += f"  FAILED on annotation {failures[0]}: {schema.get('errorMessage', '')}"
        print(line)
    print(f"format checkers available: {', '.join(formats)}")
    print(f"{failed_musts} MUST assertions failed on {len(annotations)} annotations")
    sys.exit(1 if failed_musts else 0)


if __name__ == "__main__":
    main()
