#!/usr/bin/env python3
"""Manual check for performance work: compares two `dancedynamics analyze` output directories.
results.json numbers must agree to rel 1e-6 (processing time ignored); landmarks.csv and
landmarks.json must be byte-identical. Usage: compare_outputs.py DIR_BEFORE DIR_AFTER"""
import json, sys, math
a, b = sys.argv[1], sys.argv[2]
bad = []
def walk(x, y, path):
    if path.endswith('processing_time_s') or 'processing' in path and 'time' in path: return
    if isinstance(x, dict):
        if set(x) != set(y): bad.append(f'{path}: keys differ {set(x)^set(y)}'); return
        for k in x: walk(x[k], y[k], path + '.' + k)
    elif isinstance(x, list):
        if len(x) != len(y): bad.append(f'{path}: len {len(x)} vs {len(y)}'); return
        for i, (p, q) in enumerate(zip(x, y)): walk(p, q, f'{path}[{i}]')
    elif isinstance(x, (int, float)) and not isinstance(x, bool):
        if not (isinstance(y, (int, float))) or not math.isclose(x, y, rel_tol=1e-6, abs_tol=1e-9): bad.append(f'{path}: {x} vs {y}')
    elif x != y: bad.append(f'{path}: {x!r} vs {y!r}')
walk(json.load(open(a + '/results.json')), json.load(open(b + '/results.json')), '')
for f in ['landmarks.csv', 'landmarks.json']:
    if open(a + '/' + f, 'rb').read() != open(b + '/' + f, 'rb').read(): bad.append(f + ' differs')
print('results identical' if not bad else 'DIFFERENCES:\n' + '\n'.join(bad[:20]))
sys.exit(1 if bad else 0)
