#!/usr/bin/env python3
"""Prints the benchmark results (bench/results/latest.json) as a table next to issue #7's targets."""
import json
import sys

r = json.load(open(sys.argv[1] if len(sys.argv) > 1 else "bench/results/latest.json"))
rows = []


def row(what, value, target, met):
    rows.append((what, value, target, "" if met is None else ("yes" if met else "MISSED")))


def g(*path, default=None):
    d = r
    for p in path:
        if not isinstance(d, dict) or p not in d:
            return default
        d = d[p]
    return d


for size in ("1080x1920", "1920x1080"):
    idle = g("idle", size)
    if idle:
        row(f"idle CPU, welcome, {size} (kiosk / Xvfb)", f"{idle['kiosk_cpu_pct']:.2f}% / {idle['xvfb_cpu_pct']:.2f}%",
            "< 1%", idle["kiosk_cpu_pct"] < 1)
        row(f"kiosk peak RSS (idle run), {size}", f"{idle['kiosk_peak_rss_kb'] / 1024:.0f} MiB", "(report)", None)
    ui = g("ui", size)
    if ui:
        cs = ui["cold_start_ms"]
        row(f"cold start to first frame, {size}", f"p50 {cs['p50']:.0f} ms, max {cs['max']:.0f} ms", "<= 400 ms", cs["p50"] <= 400)
        for screen, s in sorted(ui.get("frame_ms", {}).items()):
            target = "p95 <= 8 ms" if size == "1080x1920" else "(report)"
            met = s["p95"] <= 8 if size == "1080x1920" else None
            c = ui.get("frame_cpu_ms", {}).get(screen)
            cpu = f"  (CPU p95 {c['p95']:.1f})" if c else ""
            row(f"frame ms {size} {screen} (n={s['n']})", f"p50 {s['p50']:.1f} / p95 {s['p95']:.1f} / max {s['max']:.1f}{cpu}", target, met)
if g("ui", "peak_rss_kb_after_both_sessions"):
    row("peak RSS, UI benchmark (both sessions)", f"{g('ui', 'peak_rss_kb_after_both_sessions') / 1024:.0f} MiB", "(report)", None)
c = g("confirm")
if c:
    row(f"confirm -> durable + receipt raster (n={c['n']})",
        f"p50 {c['total_ms']['p50']:.1f} / p99 {c['total_ms']['p99']:.1f} ms (store p99 {c['store_ms']['p99']:.1f}, receipt p99 {c['receipt_ms']['p99']:.1f})",
        "p99 <= 25 ms", c["total_ms"]["p99"] <= 25)
s = g("sync_efficiency")
if s:
    o, b = s["ours"], s["baseline"]
    row("upstream bytes/record: ours (sealed) vs ODK-style",
        f"{o['bytes_up_per_record_sealed']:.0f} vs {b['bytes_up_per_record']:.0f} = {s['up_bytes_ratio_sealed_vs_baseline']:.3f}x",
        "<= 0.25x", s["up_bytes_ratio_sealed_vs_baseline"] <= 0.25)
    row("downstream bytes/record: ours vs ODK-style", f"{o['bytes_down_per_record']:.0f} vs {b['bytes_down_per_record']:.0f}", "(report)", None)
    row("HTTP exchanges per 1,000 records: ours vs ODK-style", f"{o['requests_per_1000']:.1f} vs {b['requests_per_1000']:.0f}",
        "<= 12", o["requests_per_1000"] <= 12)
d = g("drain")
if d:
    for run in d["runs"]:
        row(f"drain {run['records']} records, {run['loss_model']} loss, {run['outage_s']} s outage",
            f"{run['seconds']:.0f} s; limit {run['physical_limit_s']:.0f} s; {run['ratio_to_physical']:.2f}x "
            f"({run['ratio_to_physical_plus_outage']:.2f}x of limit+outage)",
            "<= 1.5x", run["ratio_to_physical"] <= 1.5)
    if "baseline_extrapolated_s" in d:
        row("ODK-style over the same link (extrapolated)",
            f"{d['baseline_extrapolated_s'] / 3600:.2f} h from {d['baseline_sample_records']} records", "(reference)", None)
for key in sorted(k for k in r if k.startswith("drain_netns_")):
    run = r[key]
    if "ratio_to_physical" not in run:
        row(f"drain (real TCP, {run.get('congestion_control')}, {run.get('loss_model')})", "did not finish", "<= 1.5x", False)
        continue
    if run.get("transport") == "https via nginx":
        # The goal (#16): with the kiosk's own connection on the link, <= 1.5x the physical
        # limit (IP bytes) including the outage.
        row(f"drain {run['records']} records, HTTPS, kiosk socket {run['congestion_control']} "
            f"(allowed: {run.get('allowed')}), {run['loss_model']} loss, {run['outage_s']} s outage",
            f"{run['seconds']:.0f} s; limit {run['physical_limit_s']:.0f} s (IP); {run['ratio_to_physical']:.2f}x "
            f"({run['ratio_to_physical_plus_outage']:.2f}x of limit+outage)",
            "<= 1.5x incl. outage", run["ratio_to_physical_plus_outage"] <= 1.5)
        continue
    row(f"drain {run['records']} records, real TCP {run['congestion_control']}, {run['loss_model']} loss, {run['outage_s']} s outage",
        f"{run['seconds']:.0f} s; limit {run['physical_limit_s']:.0f} s; {run['ratio_to_physical']:.2f}x "
        f"({run['ratio_to_physical_plus_outage']:.2f}x of limit+outage)",
        "<= 1.5x" if run["congestion_control"] == "cubic" else "(compare)",
        run["ratio_to_physical"] <= 1.5 if run["congestion_control"] == "cubic" else None)
i = g("ingest")
if i:
    row(f"backend ingest, {i['kiosks']} kiosks x batches of {i['batch']}",
        f"{i['records_per_s']:.0f} records/s (backend {i['backend_cpu_share_of_2_cores'] * 100:.0f}% of 2 cores)",
        ">= 10,000/s", i["records_per_s"] >= 10000)

# The city backend (scripts/bench.sh backend): SQLite vs PostgreSQL.
bi = g("backend_ingest")
if bi:
    order = ["sqlite"] + sorted(k for k in bi["configs"] if k != "sqlite")
    for name in (k for k in order if k in bi["configs"]):
        c = bi["configs"][name]
        label = "SQLite, 1 process" if not c["postgresql"] else f"PostgreSQL, {c['processes']} process{'es' if c['processes'] > 1 else ''}"
        runs = c["runs"]
        cpu = sum(sum(p["cpu_s"] for p in x["backend"]) for x in runs) / sum(x["seconds"] for x in runs)
        pg = sum(x.get("postgres_cpu_s", 0) for x in runs) / sum(x["seconds"] for x in runs)
        extra = f", postgres {pg * 50:.0f}%" if c["postgresql"] else ""
        row(f"backend ingest, {bi['kiosks']} kiosks, {label}",
            f"{c['records_per_s_median']:.0f} records/s (median of {len(runs)}: {c['records_per_s_min']:.0f}-{c['records_per_s_max']:.0f}; "
            f"backend {cpu * 50:.0f}%{extra} of 2 cores)",
            ">= 10,000/s" if c["postgresql"] else "(compare)",
            c["records_per_s_median"] >= 10000 if c["postgresql"] else None)
        row(f"  peak RSS per backend process, ingest {name}", f"{c['peak_vm_hwm_kb_per_process'] / 1024:.0f} MiB", "(report)", None)
bs = g("backend_seed")
if bs:
    row(f"seed {bs['records']:,} records + {bs['status_events']:,} events (PostgreSQL)",
        f"{bs['seconds']['total']:.0f} s{' (reused)' if bs.get('reused') else ''}; {bs['size']['database_bytes'] / 2**30:.2f} GiB on disk",
        "(report)", None)
for label, lat in (g("backend_latency") or {}).items():
    for level, cases in sorted(lat["cases"].items()):
        for name, c in cases.items():
            row(f"{name}, {label}, concurrency {level[1:]} (n={c['n']})",
                f"p50 {c['p50']:.1f} / p95 {c['p95']:.1f} / p99 {c['p99']:.1f} ms"
                + (f", {c['errors']} errors" if c["errors"] else "")
                + (f", {c['warmup_errors']} warm-up errors" if c.get("warmup_errors") else ""),
                "p95 <= 20 ms", c["p95"] <= 20)
    cn = lat.get("category_names_per_200_items_ms")
    if cn:
        row(f"  Open311: naming categories of a 200-item page ({label})",
            f"{cn['config_queries']:.1f} ms config queries + {cn['config_parses']:.1f} ms parsing", "(overhead)", None)
    for name, ms in (lat.get("proposal_execution_ms") or {}).items():
        row(f"  SQL with proposed indexes: {name}", f"{ms:.1f} ms", "(proposal)", None)
    hwm = max(p["vm_hwm_kb"] for p in lat["backend"])
    row(f"  peak RSS per backend process, latency {label} ({lat['processes']} process(es))", f"{hwm / 1024:.0f} MiB", "(report)", None)

w = [max(len(x[k]) for x in rows + [("measure", "value", "target", "met")]) for k in range(4)]
m = g("machine", default={})
print(f"\n{m.get('date', '?')}  {m.get('mode', '?')} run  {m.get('cpus', '?')} CPUs  {m.get('cpu', '?')}  kernel {m.get('kernel', '?')}")
line = "  ".join(h.ljust(w[k]) for k, h in enumerate(("measure", "value", "target", "met")))
print(line)
print("-" * len(line))
for x in rows:
    print("  ".join(v.ljust(w[k]) for k, v in enumerate(x)))
