#!/usr/bin/env python3
"""Shrinks a landmark JSON (MediaPipe reference or `dancedynamics pose --out`) into the compact
text fixture the movement-type tests read: only the 15 landmarks the analysis uses, x and y in
units of 1e-4 of the frame, visibility in hundredths.

Usage: make_movement_fixture.py landmarks.json out.txt

Format: first line `width height fps`; then one line per frame: `t_ms` followed by
15 x `x y v` (landmarks nose, ears, shoulders, elbows, wrists, hips, knees, ankles, in that
order) or by `-` when the frame has no pose."""
import json
import sys

KEPT = [0, 7, 8, 11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28]


def main():
    doc = json.load(open(sys.argv[1]))
    out = [f"{doc['width']} {doc['height']} {doc['fps']:.6f}"]
    for frame in doc["frames"]:
        t_ms = round(frame["t"] * 1000)
        lms = frame["landmarks"]
        if lms is None:
            out.append(f"{t_ms} -")
            continue
        fields = [str(t_ms)]
        for i in KEPT:
            x, y, _, v = lms[i]
            fields += [str(round(x * 1e4)), str(round(y * 1e4)), str(max(0, min(99, round(v * 100))))]
        out.append(" ".join(fields))
    open(sys.argv[2], "w").write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
