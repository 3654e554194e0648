#!/usr/bin/env python3
"""Times LangGraph on the graphs Purser's engine benchmark runs, with no-op nodes.

Usage: langgraph_bench.py [--steps N] [--runs N]

Two graphs, each compiled once and invoked --runs times after one warm-up:
  sequential: N nodes in a chain, each a Python function that returns {} ;
  fan-out:    one node sends N items (the Send API) to a worker node that returns its
              item, gathered by a list reducer, all N in one superstep.
Prints one JSON object: the langgraph version, and per graph the median and best seconds
and microseconds per step. Exits with status 3 and {"error": ...} when langgraph is not
installed.
"""
import json
import operator
import statistics
import sys
import time
from importlib import metadata
from typing import Annotated, TypedDict


def argument(name, default):
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def timed(graph, state, runs, config):
    graph.invoke(state, config)  # warm-up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        graph.invoke(state, config)
        samples.append(time.perf_counter() - start)
    return samples


def main():
    steps = argument("--steps", 1000)
    runs = argument("--runs", 5)
    try:
        from langgraph.graph import END, START, StateGraph
        from langgraph.types import Send
    except ImportError:
        print(json.dumps({"error": "python langgraph is not installed (pip install langgraph==1.2.24)"}))
        sys.exit(3)

    class Chain(TypedDict, total=False):
        topic: str

    sequential = StateGraph(Chain)
    for index in range(steps):
        sequential.add_node(f"s{index}", lambda state: {})
        sequential.add_edge(START if index == 0 else f"s{index - 1}", f"s{index}")
    sequential.add_edge(f"s{steps - 1}", END)
    chain = sequential.compile()

    class Fan(TypedDict, total=False):
        items: list
        results: Annotated[list, operator.add]

    fan = StateGraph(Fan)
    fan.add_node("start", lambda state: {})
    fan.add_node("item", lambda state: {"results": [state["item"]]})
    fan.add_edge(START, "start")
    fan.add_conditional_edges("start", lambda state: [Send("item", {"item": item}) for item in state["items"]])
    fan.add_edge("item", END)
    fan_out = fan.compile()

    config = {"recursion_limit": steps + 10}
    results = {}
    for name, graph, state in (
        ("sequential", chain, {"topic": "budgets"}),
        ("fan-out", fan_out, {"items": [f"item-{i}" for i in range(steps)], "results": []}),
    ):
        samples = timed(graph, state, runs, config)
        median = statistics.median(samples)
        results[name] = {
            "steps": steps,
            "medianSeconds": median,
            "bestSeconds": min(samples),
            "microsecondsPerStep": median / steps * 1e6,
        }
    check = fan_out.invoke({"items": ["a", "b"], "results": []}, config)
    assert sorted(check["results"]) == ["a", "b"], check
    print(json.dumps({"langgraph": metadata.version("langgraph"), "python": sys.version.split()[0], "runs": runs, **results}))


if __name__ == "__main__":
    main()
