#!/usr/bin/env python3
"""Turns the benchmarks' JSON outputs into one results table (results.md and results.json).

Usage: report.py RAW_DIR OUT_DIR [--quick]

RAW_DIR holds what scripts/benchmarks ran: engine.json, tokenizer.json, routing.json,
ledger.json, server.json and, when the peers could run, langgraph.json. Ratios say how many
times faster Purser was than the peer on the same work in the same run (peer time / Purser
time, or Purser throughput / peer throughput).
"""
import datetime
import json
import os
import platform
import sys


def load(directory, name):
    path = os.path.join(directory, name)
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def scenario(engine, name, provider):
    for row in engine["scenarios"]:
        if row["scenario"] == name and row["provider"] == provider:
            return row
    return None


def times(larger, smaller):
    """How many times `larger` is `smaller`, to one decimal; None when either is missing."""
    if larger is None or smaller is None or smaller == 0:
        return None
    return round(larger / smaller, 1)


def rows(raw):
    engine = load(raw, "engine.json")
    tokenizer = load(raw, "tokenizer.json")
    routing = load(raw, "routing.json")
    ledger = load(raw, "ledger.json")
    server = load(raw, "server.json")
    langgraph = load(raw, "langgraph.json")
    table = []

    def add(area, measurement, value, unit, peer=None, peer_value=None, ratio=None):
        table.append({
            "area": area, "measurement": measurement, "value": value, "unit": unit,
            "peer": peer, "peerValue": peer_value, "ratio": ratio,
        })

    graph_peer = f"LangGraph {langgraph['langgraph']}" if langgraph else None
    for shape, name, peer_key in (
        ("sequential", "sequential 1000 steps", "sequential"),
        ("fan-out", "fan-out 1000 items (no limit)", "fan-out"),
    ):
        peer_us = langgraph[peer_key]["microsecondsPerStep"] if langgraph else None
        for provider, label in (("no-op tool", "no-op tool steps"), ("no-op", "model steps, no-op provider")):
            row = scenario(engine, name, provider)
            if row:
                add("engine", f"{shape}, 1,000 {label}", row["microsecondsPerStep"], "µs/step",
                    graph_peer and f"{graph_peer}, no-op nodes", peer_us and round(peer_us, 1),
                    times(peer_us, row["microsecondsPerStep"]))
    for name, label in (("sequential 1000 steps", "sequential, 1,000 model steps"),
                        ("sequential 1000 steps, estimated at admission", "sequential, 1,000 model steps, estimated at admission"),
                        ("fan-out 1000 items (run limit 16)", "fan-out, 1,000 model steps, 16 at a time")):
        row = scenario(engine, name, "simulator (instant)")
        if row:
            add("engine", f"{label}, simulator at full speed", row["microsecondsPerStep"], "µs/step")
    add("engine", f"estimate of a {engine['estimateSteps']}-step graph (500 samples)", engine["estimateMilliseconds"], "ms")
    if "oneStepEstimateMicroseconds" in engine:
        # What the server pays per run at admission, for the one-step workflow it is benchmarked on.
        add("engine", "estimate of a one-step graph (500 samples)", engine["oneStepEstimateMicroseconds"], "µs")

    for result in tokenizer["results"]:
        reference = result.get("referenceMBps")
        add("tokenizer", f"{result['encoding']} encode, {result['text']}", result["swiftEncodeMBps"], "MB/s",
            "tiktoken 0.14.0 (Python)" if reference else None, reference,
            times(result["swiftEncodeMBps"], reference))
        if reference and not result.get("countsEqual", False):
            raise SystemExit(f"tokenizer counts differ from tiktoken on {result['encoding']} {result['text']}")

    for latency in routing["latency"]:
        add("router", f"decision latency, {latency['tiers']:,} tiers", round(latency["medianNanosecondsPerDecision"] / 1000, 2), "µs")
    savings = routing["savings"]
    add("router", f"cost over the oracle's, {savings['steps']:,}-step workload, {savings['tiers']} tiers", savings["routerOverOracle"], "×")
    add("router", "saving against always the strongest tier", round(savings["savingsVersusStrongest"] * 100, 2), "%")

    for item in ledger["scenarios"]:
        add("ledger", f"reserve + settle, {item['scenario']} (synchronous {item['synchronous']})", item["pairsPerSecond"], "pairs/s")

    for item in server:
        clients = f"{item['clients']} client" + ("" if item["clients"] == 1 else "s")
        add("socket API", f"trigger-and-wait, one-step workflow, {clients}", item["runsPerSecond"], "runs/s")
        add("socket API", f"p99 latency, {clients}", item["p99Ms"], "ms")
    return table


def markdown(report):
    lines = [
        f"Benchmarks, {report['date']}, {report['cores']} cores ({report['machine']}), release build: "
        "`scripts/benchmarks" + (" --quick" if report["quick"] else "") + "`",
        "",
        "| area | measurement | Purser | peer (same run) | Purser faster by |",
        "|---|---|---:|---|---:|",
    ]
    for row in report["rows"]:
        peer = f"{row['peer']}: {row['peerValue']:,} {row['unit']}" if row["peer"] else ""
        faster = f"{row['ratio']}×" if row["ratio"] is not None else ""
        value = f"{row['value']:,}" if isinstance(row["value"], (int, float)) else str(row["value"])
        lines.append(f"| {row['area']} | {row['measurement']} | {value} {row['unit']} | {peer} | {faster} |")
    return "\n".join(lines) + "\n"


def processor():
    """The processor's model name: these machines are virtual and not all of one model, and the
    same build's runs a second differed by half between two of them."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown processor"


def main():
    arguments = [argument for argument in sys.argv[1:] if argument != "--quick"]
    if len(arguments) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    raw, out = arguments
    report = {
        "date": datetime.date.today().isoformat(),
        "cores": os.cpu_count(),
        "machine": f"{platform.system()} {platform.machine()}, {processor()}",
        "quick": "--quick" in sys.argv,
        "rows": rows(raw),
    }
    with open(os.path.join(out, "results.json"), "w", encoding="utf-8") as handle:
        json.dump(report, handle, indent=2)
        handle.write("\n")
    with open(os.path.join(out, "results.md"), "w", encoding="utf-8") as handle:
        handle.write(markdown(report))


if __name__ == "__main__":
    main()
