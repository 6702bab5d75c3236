"""Runs the Python peer (pymcdm) on the shared matrix, checks every side's scores agree to
1e-9, and prints the time ratios. Called by benches/peers/compare."""
import json
import statistics
import sys
import time

import numpy as np
from pymcdm import methods, normalizations

work, rows = sys.argv[1], int(sys.argv[2])
raw = np.fromfile(f"{work}/data.bin", dtype="<u8", count=2)
n, m = int(raw[0]), int(raw[1])
matrix = np.fromfile(f"{work}/data.bin", dtype="<f8", offset=16).reshape(n, m)
weights = np.arange(1, m + 1, dtype=float)
weights /= weights.sum()
types = np.array([-1 if j % 3 == 0 else 1 for j in range(m)])


def median_ms(f, reps=7):
    times, out = [], None
    for _ in range(reps):
        t = time.perf_counter()
        out = f()
        times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times), out


py = {}
py["topsis_vector_ms"], p_vec = median_ms(lambda: methods.TOPSIS(normalizations.vector_normalization)(matrix, weights, types, validation=False))
py["topsis_minmax_ms"], p_mm = median_ms(lambda: methods.TOPSIS(normalizations.minmax_normalization)(matrix, weights, types, validation=False))
py["wsm_minmax_ms"], p_wsm = median_ms(lambda: methods.WSM(normalizations.minmax_normalization)(matrix, weights, types, validation=False))

ours = json.load(open(f"{work}/ours.json"))
scores = np.fromfile(f"{work}/ours.bin", dtype="<f8").reshape(3, n)
mcdm = json.load(open(f"{work}/mcdm.json"))
# mcdm 0.4's rank_topsis returns D+ / (D+ + D-), the complement of the usual closeness
# D- / (D+ + D-) (its source names the two distances the other way round), so the comparison
# is with 1 - its score.
mcdm_scores = 1.0 - np.fromfile(f"{work}/mcdm.bin", dtype="<f8")

checks = [
    ("TOPSIS, vector (ours vs pymcdm)", scores[0], p_vec),
    ("TOPSIS, min-max (ours vs pymcdm)", scores[1], p_mm),
    ("weighted sum, min-max (ours vs pymcdm)", scores[2], p_wsm),
    ("TOPSIS, min-max (ours vs 1 - mcdm crate)", scores[1], mcdm_scores),
]
ok = True
for name, a, b in checks:
    diff = float(np.max(np.abs(a - b)))
    agree = diff <= 1e-9
    ok &= agree
    print(f"{name:<42} max |difference| {diff:.2e}  {'agree' if agree else 'DISAGREE'}")

print(f"\n{rows:,} alternatives x {m} criteria; medians in ms (ratio = peer / ours)")
print(f"{'method':<26}{'ours':>10}{'pymcdm':>10}{'ratio':>8}{'mcdm':>10}{'ratio':>8}")
for key, label in [("topsis_vector_ms", "TOPSIS, vector"), ("topsis_minmax_ms", "TOPSIS, min-max"), ("wsm_minmax_ms", "weighted sum, min-max")]:
    o, p = ours[key], py[key]
    line = f"{label:<26}{o:>10.2f}{p:>10.2f}{p / o:>8.1f}"
    if key == "topsis_minmax_ms":
        line += f"{mcdm[key]:>10.2f}{mcdm[key] / o:>8.1f}"
    print(line)
print(f"{'TOPSIS, vector, ranked':<26}{ours['topsis_vector_ranked_ms']:>10.2f}")
sys.exit(0 if ok else 1)
