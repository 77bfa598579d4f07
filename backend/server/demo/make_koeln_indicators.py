#!/usr/bin/env python3
"""Builds koeln-indikatoren-*.csv (the demo's indicator values) from the Stadt Köln population
table `shared/data/koeln-stadtteile/bevoelkerung_2005-2012.csv` (CC BY, Stadt Köln).

Run from this folder: python3 make_koeln_indicators.py ../../../../shared/data/koeln-stadtteile/bevoelkerung_2005-2012.csv
Each output is a long CSV (gebiet_id;datum;wert;zaehler;nenner) per level, one file per indicator,
in the format planners import; the demo loads them through the same import.
"""
import csv
import sys
from collections import defaultdict

UNDER_18 = {"00 - < 03", "03 - < 06", "06 - < 10", "10 - < 15", "15 - < 18"}
UNDER_6 = {"00 - < 03", "03 - < 06"}
OVER_65 = {"65 - < 75", "75 und älter"}

def main(path):
    counts = defaultdict(float)  # (kind, raum_id, year) -> count
    for r in csv.DictReader(open(path, encoding="utf-8")):
        key = (r["raum_id"], r["jahr"])
        n = float(r["zahl"])
        t, z = r["tab_id"], r["zeile"]
        if t == "005":
            counts[("total",) + key] += n
        elif t == "020":
            if z in UNDER_18:
                counts[("u18",) + key] += n
            if z in UNDER_6:
                counts[("u6",) + key] += n
            if z in OVER_65:
                counts[("65plus",) + key] += n
        elif t == "030" and r["zei_id"] == "10":
            counts[("migration",) + key] += n
        elif t == "030" and r["zei_id"] == "50":
            counts[("foreign",) + key] += n
    areas = sorted({(k[1], k[2]) for k in counts if k[0] == "total"})
    for level, pick, code in (
        ("stadtteil", lambda a: len(a) == 3 and a[0] != "0", lambda a: a),
        ("stadtbezirk", lambda a: len(a) == 3 and a.startswith("00") and a != "000", lambda a: str(int(a))),
    ):
        for name in ("einwohner", "u18", "u6", "65plus", "migration", "foreign"):
            with open(f"koeln-indikatoren-{level}-{name}.csv", "w", encoding="utf-8", newline="") as f:
                w = csv.writer(f, delimiter=";", lineterminator="\n")
                if name == "einwohner":
                    w.writerow(["gebiet_id", "datum", "wert"])
                else:
                    w.writerow(["gebiet_id", "datum", "wert", "zaehler", "nenner"])
                for raum, year in areas:
                    if not pick(raum):
                        continue
                    total = counts[("total", raum, year)]
                    date = f"{year}-12-31"
                    if name == "einwohner":
                        w.writerow([code(raum), date, f"{total:.0f}"])
                        continue
                    part = counts[(name, raum, year)]
                    share = f"{100 * part / total:.4f}".replace(".", ",") if total else ""
                    w.writerow([code(raum), date, share, f"{part:.0f}", f"{total:.0f}"])

if __name__ == "__main__":
    main(sys.argv[1])
