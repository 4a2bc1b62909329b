#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Turn bench/guest.sh's raw.tsv into results.md, results.json, chart.png
and a one-line summary (printed last).

usage: report.py DIR [--check]
  DIR      holds raw.tsv; the outputs are written beside it
  --check  exit 1 unless every expected row has a number (make bench-smoke)
"""
import json
import os
import statistics
import sys

MAIN = ["plain", "ikesec-gcm", "ikesec-gcm-serial", "xfrm-gcm",
        "ikesec-chacha", "xfrm-chacha", "wireguard"]
SCALE = ["ikesec-gcm", "xfrm-gcm"]
PEER = {"ikesec-gcm": "xfrm-gcm", "ikesec-gcm-serial": "xfrm-gcm",
        "ikesec-chacha": "xfrm-chacha",
        "wireguard": "ikesec-chacha", "ikedaemon": "strongswan"}
UNIT = {
    "tcp1": "Mbit/s", "tcp4": "Mbit/s", "udp64": "kpps", "rtt": "µs",
    "rtt_added": "µs", "aead": "Mbit/s", "sa_add": "SAs/s",
    "sa_slab": "B/SA", "sa_mem": "B/SA", "sa_cache": "B/SA",
    "pol_add": "policies/s", "pol_slab": "B/policy", "sa_add_full": "SAs/s",
    "tcp1-10kpol": "Mbit/s", "udp64-10kpol": "kpps",
    "handshakes": "1/s", "ike_rss": "B/IKE SA", "ike_rss_warm": "B/IKE SA", "ike_cpu": "ms/IKE SA",
}
WHAT = {
    "tcp1": "iperf3 TCP, 1 stream", "tcp4": "iperf3 TCP, 4 streams",
    "udp64": "UDP 64-byte packets received", "rtt": "ping RTT (median)",
    "rtt_added": "added latency vs plaintext",
    "aead": "tcrypt encrypt, 1420-byte blocks, 1 CPU",
    "sa_add": "add SAs (netlink / ip -batch)",
    "sa_slab": "unreclaimable slab per SA (/proc/meminfo SUnreclaim)",
    "sa_mem": "memory per SA (MemAvailable)",
    "sa_cache": "SA slab cache per SA (/proc/slabinfo)",
    "pol_add": "add policies", "pol_slab": "unreclaimable slab per policy",
    "sa_add_full": "add SAs with the SPD full (1000 pairs)",
    "tcp1-10kpol": "TCP 1 stream, N (BENCH_SA) SA+policy pairs installed",
    "udp64-10kpol": "UDP 64 B, N (BENCH_SA) SA+policy pairs installed",
    "handshakes": "IKE SAs (PSK, 1 CHILD SA) per second as responder, N at once from our load generator",
    "ike_rss": "responder memory per IKE SA (VmRSS delta / N IKE SAs up)",
    "ike_rss_warm": "VmRSS growth per IKE SA, each third of N after N/10",
    "ike_cpu": "responder CPU time (user+sys) per IKE SA, each third",
}
# Measures where lower is better (so the summary can say "better").
LOWER = {"rtt", "rtt_added", "sa_slab", "sa_mem", "sa_cache", "pol_slab",
         "ike_rss", "ike_rss_warm", "ike_cpu"}


def load(path):
    samples, meta = {}, {}
    with open(path) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if p[0] == "R" and len(p) == 4:
                samples.setdefault((p[1], p[2]), []).append(float(p[3]))
            elif p[0] == "M" and len(p) == 3:
                meta[p[1]] = p[2]
    # Added latency: each RTT sample minus the plaintext median.
    base = samples.get(("plain", "rtt"))
    if base:
        b = statistics.median(base)
        for s in MAIN[1:]:
            if (s, "rtt") in samples:
                samples[(s, "rtt_added")] = [v - b for v in samples[(s, "rtt")]]
    return samples, meta


def expected(samples):
    rows = [(s, m) for s in MAIN for m in ("tcp1", "tcp4", "udp64", "rtt")]
    rows += [(s, "rtt_added") for s in MAIN[1:]]
    rows += [("aead-gcm", "aead"), ("aead-chacha", "aead")]
    rows += [(s, m) for s in SCALE for m in ("sa_add", "sa_slab", "sa_mem",
             "pol_add", "pol_slab", "sa_add_full", "tcp1-10kpol",
             "udp64-10kpol")]
    rows += [(s, m) for m in ("handshakes", "ike_rss", "ike_rss_warm",
                              "ike_cpu")
             for s in ("ikedaemon", "strongswan")]
    # Optional rows: only when they were measured (sa_cache needs a
    # dedicated cache; -100000 rows need BENCH_SCALE=full).
    extra = sorted(k for k in samples if k not in rows and
                   not k[1].endswith("-perf"))
    return rows, extra


def stats(v):
    return {"median": statistics.median(v), "min": min(v), "max": max(v),
            "n": len(v)}


def label(m):
    """Unit and description of a measure; "-N" suffixes (BENCH_SCALE=full)
    name the N."""
    base = m[:-len("-100000")]
    if m.endswith("-100000") and base in WHAT:
        return UNIT.get(base, ""), "%s, N = 100,000" % WHAT[base]
    return UNIT.get(m, ""), WHAT.get(m, m)


def fmt(x):
    if x is None:
        return "—"
    if abs(x) >= 100:
        return "%.0f" % x
    return "%.2f" % x if abs(x) < 10 else "%.1f" % x


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    d = sys.argv[1]
    check = "--check" in sys.argv[2:]
    samples, meta = load(os.path.join(d, "raw.tsv"))
    rows, extra = expected(samples)
    res = {}
    for k in rows + extra:
        if k in samples:
            res[k] = stats(samples[k])

    def ratio(s, m, peer):
        a, b = res.get((s, m)), res.get((peer, m))
        if not a or not b or not b["median"]:
            return None
        return a["median"] / b["median"]

    out = {"meta": meta, "rows": []}
    md = ["# ikesec benchmark results", "",
          "Same boot, medians of %s runs; ratio = median / peer's median "
          "(for µs and bytes lower is better). Method: bench/README.md." %
          meta.get("knobs", "?"), ""]
    for k in ("kernel", "cpu", "host", "ikesec", "drivers", "aead-gcm-driver",
              "aead-chacha-driver"):
        if k in meta:
            md.append("- %s: `%s`" % (k, meta[k]))
    md += ["", "| system | measure | unit | median | min | max | n | "
           "ratio vs peer |", "| --- | --- | --- | ---: | ---: | ---: | ---: | --- |"]
    missing = []
    for s, m in rows + extra:
        r = res.get((s, m))
        peer = PEER.get(s)
        q = ratio(s, m, peer) if peer else None
        rtxt = "%.2f× %s" % (q, peer) if q is not None else ""
        if m in ("tcp1-10kpol", "udp64-10kpol"):
            base = res.get((s, m.split("-")[0]))
            if r and base:
                one = r["median"] / base["median"]
                rtxt += "%s%.2f× 1 policy" % ("; " if rtxt else "", one)
        if r is None:
            missing.append("%s %s" % (s, m))
            md.append("| %s | %s | %s | — | — | — | 0 | missing |" %
                      (s, label(m)[1], label(m)[0]))
            out["rows"].append({"system": s, "measure": m, "unit": UNIT.get(m),
                                "missing": True})
            continue
        md.append("| %s | %s | %s | %s | %s | %s | %d | %s |" % (
            s, label(m)[1], label(m)[0], fmt(r["median"]),
            fmt(r["min"]), fmt(r["max"]), r["n"], rtxt))
        row = {"system": s, "measure": m, "unit": label(m)[0]}
        row.update(r)
        if q is not None:
            row["peer"], row["ratio"] = peer, q
        out["rows"].append(row)

    def rs(s, m, p):
        q = ratio(s, m, p)
        return "%.2f" % q if q is not None else "?"
    summary = ("summary (ikesec / peer, >1 = ikesec higher): "
               "GCM vs XFRM tcp1 %s tcp4 %s udp64 %s "
               "(parallel_crypto=0: tcp1 %s tcp4 %s); "
               "ChaCha vs XFRM tcp1 %s tcp4 %s udp64 %s; "
               "ChaCha vs WireGuard tcp1 %s udp64 %s; "
               "added latency GCM %s; slab/SA %s; SA add rate %s; "
               "handshakes/s vs strongSwan %s; memory/IKE SA vs strongSwan %s "
               "(one more SA: %s)"
               % (
                   rs("ikesec-gcm", "tcp1", "xfrm-gcm"),
                   rs("ikesec-gcm", "tcp4", "xfrm-gcm"),
                   rs("ikesec-gcm", "udp64", "xfrm-gcm"),
                   rs("ikesec-gcm-serial", "tcp1", "xfrm-gcm"),
                   rs("ikesec-gcm-serial", "tcp4", "xfrm-gcm"),
                   rs("ikesec-chacha", "tcp1", "xfrm-chacha"),
                   rs("ikesec-chacha", "tcp4", "xfrm-chacha"),
                   rs("ikesec-chacha", "udp64", "xfrm-chacha"),
                   rs("ikesec-chacha", "tcp1", "wireguard"),
                   rs("ikesec-chacha", "udp64", "wireguard"),
                   rs("ikesec-gcm", "rtt_added", "xfrm-gcm"),
                   rs("ikesec-gcm", "sa_slab", "xfrm-gcm"),
                   rs("ikesec-gcm", "sa_add", "xfrm-gcm"),
                   rs("ikedaemon", "handshakes", "strongswan"),
                   rs("ikedaemon", "ike_rss", "strongswan"),
                   rs("ikedaemon", "ike_rss_warm", "strongswan")))
    md += ["", summary, ""]
    if missing:
        md.append("Missing rows: " + ", ".join(missing))
    out["summary"] = summary
    out["missing"] = missing
    with open(os.path.join(d, "results.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    with open(os.path.join(d, "results.json"), "w") as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
    chart(d, res)
    # The table on stdout (not in --check mode); the summary comes last.
    if not check:
        print("\n".join(l for l in md[md.index("") + 1:] if l != summary))
    if check and missing:
        print("bench-smoke: FAILED: no number for: " + ", ".join(missing))
        print(summary)
        sys.exit(1)
    if check:
        print("bench-smoke: ok, %d rows have a number" % len(rows))
    print(summary)


def chart(d, res):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("report: python3-matplotlib missing; no chart.png")
        return
    systems = [s for s in MAIN if (s, "tcp1") in res]
    if not systems:
        return
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 5.5))
    w = 0.38
    for j, m in enumerate(("tcp1", "tcp4")):
        xs = [i + (j - 0.5) * w for i in range(len(systems))]
        med = [res.get((s, m), {}).get("median", 0) for s in systems]
        lo = [med[i] - res.get((s, m), {}).get("min", 0) for i, s in enumerate(systems)]
        hi = [res.get((s, m), {}).get("max", 0) - med[i] for i, s in enumerate(systems)]
        ax1.bar(xs, med, w, yerr=[lo, hi], capsize=3,
                label="TCP %s" % ("1 stream" if m == "tcp1" else "4 streams"))
    for (k, lab, st) in ((("plain", "tcp4"), "plaintext veth (TCP 4)", "k--"),
                         (("aead-gcm", "aead"), "tcrypt AES-GCM, 1 CPU", "b:"),
                         (("aead-chacha", "aead"), "tcrypt ChaCha20-Poly1305, 1 CPU", "r:")):
        if k in res:
            ax1.axhline(res[k]["median"], linestyle=st[1:], color=st[0],
                        label="%s %.0f" % (lab, res[k]["median"]))
    ax1.set_xticks(range(len(systems)))
    ax1.set_xticklabels(systems, rotation=20)
    ax1.set_ylabel("Mbit/s (receiver)")
    ax1.set_title("Throughput (median, min–max)")
    ax1.legend(fontsize=8)
    med = [res.get((s, "udp64"), {}).get("median", 0) for s in systems]
    lo = [med[i] - res.get((s, "udp64"), {}).get("min", 0) for i, s in enumerate(systems)]
    hi = [res.get((s, "udp64"), {}).get("max", 0) - med[i] for i, s in enumerate(systems)]
    ax2.bar(range(len(systems)), med, 0.6, yerr=[lo, hi], capsize=3,
            color="tab:green")
    if ("plain", "udp64") in res:
        ax2.axhline(res[("plain", "udp64")]["median"], linestyle="--",
                    color="k", label="plaintext veth")
        ax2.legend(fontsize=8)
    ax2.set_xticks(range(len(systems)))
    ax2.set_xticklabels(systems, rotation=20)
    ax2.set_ylabel("kpps received")
    ax2.set_title("UDP 64-byte packets per second")
    fig.suptitle("ikesec vs XFRM vs WireGuard, QEMU TCG 2 vCPUs, one boot")
    fig.tight_layout()
    fig.savefig(os.path.join(d, "chart.png"), dpi=100)
    plt.close(fig)


if __name__ == "__main__":
    main()
