#!/usr/bin/env python3
"""The straightforward baseline for `redflag bench --what names`: every query scored
against every listed name with rapidfuzz (token_sort_ratio, C++ core), one thread.

    redflag bench --what names --export /tmp/names
    pip install rapidfuzz
    python3 scripts/bench_baseline_rapidfuzz.py /tmp/names [QUERIES]
"""
import statistics
import sys
import time
from pathlib import Path

from rapidfuzz import fuzz, process, utils


def main() -> None:
    folder = Path(sys.argv[1])
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    names = [utils.default_process(n) for n in (folder / "names.txt").read_text().splitlines()]
    queries = (folder / "queries.txt").read_text().splitlines()
    # The same mix as redflag's run: listed names retyped, then ordinary names.
    step = max(1, len(queries) // limit)
    sample = queries[::step][:limit]
    latencies = []
    started = time.perf_counter()
    for q in sample:
        t = time.perf_counter()
        process.extract(utils.default_process(q), names, scorer=fuzz.token_sort_ratio, limit=10, score_cutoff=75)
        latencies.append(time.perf_counter() - t)
    elapsed = time.perf_counter() - started
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    print(f"rapidfuzz baseline against {len(names)} names: {len(sample)} queries")
    print(f"  throughput           {len(sample) / elapsed:.0f} queries/s")
    print(f"  latency              p50 {statistics.median(latencies) * 1e6:.0f} µs, p99 {p99 * 1e6:.0f} µs")


if __name__ == "__main__":
    main()
