"""``rules infer``: the smallest set of imports that breaks an import cycle."""

from __future__ import annotations

import itertools
import random

from backendscan.rules.infer import min_feedback_edges


def _brute_force(weights: dict[tuple[str, str], int], nodes: list[str]) -> int:
    """The least back-pointing weight over every order of ``nodes`` (the definition of the exact cut)."""
    best = None
    for order in itertools.permutations(nodes):
        pos = {v: i for i, v in enumerate(order)}
        cost = sum(w for (a, b), w in weights.items() if a in pos and b in pos and pos[b] < pos[a])
        best = cost if best is None else min(best, cost)
    assert best is not None
    return best


def test_three_cycle_cuts_the_lightest_import() -> None:
    weights = {("a", "b"): 3, ("b", "c"): 2, ("c", "a"): 1}
    assert min_feedback_edges(weights, ["a", "b", "c"]) == ([("c", "a")], True)


def test_equal_weights_keep_the_same_tie_break() -> None:
    # every edge of a 3-cycle is a minimum cut; the answer must not change between versions
    assert min_feedback_edges({("a", "b"): 1, ("b", "c"): 1, ("c", "a"): 1}, ["c", "a", "b"]) == ([("c", "a")], True)


def test_two_cycles_share_the_cut_and_outside_edges_are_ignored() -> None:
    weights = {("a", "b"): 1, ("b", "a"): 2, ("b", "c"): 1, ("c", "b"): 1, ("c", "a"): 5, ("x", "a"): 9}
    assert min_feedback_edges(weights, ["a", "b", "c"]) == ([("a", "b"), ("c", "b")], True)


def test_cut_weight_is_the_true_minimum_on_random_graphs() -> None:
    rng = random.Random(20)
    for _ in range(60):
        n = rng.randint(2, 7)
        nodes = [f"m{i}" for i in range(n)]
        weights = {(a, b): rng.choice([1, 1, 2, 3]) for a in nodes for b in nodes if a != b and rng.random() < 0.45}
        cut, exact = min_feedback_edges(weights, nodes)
        assert exact
        assert sum(weights[e] for e in cut) == _brute_force(weights, nodes)
        # what is left is acyclic: some order has no edge pointing back
        rest = {e for e in weights if e not in set(cut)}
        assert _brute_force({e: 1 for e in rest}, nodes) == 0


def test_exact_up_to_sixteen_modules_greedy_above() -> None:
    ring16 = [f"m{i:02d}" for i in range(16)]
    weights = {(ring16[i], ring16[(i + 1) % 16]): 2 for i in range(16)}
    weights[("m15", "m00")] = 1
    weights[("m07", "m03")] = 1
    cut, exact = min_feedback_edges(weights, ring16)
    assert exact
    assert cut == [("m07", "m03"), ("m15", "m00")]
    ring17 = [f"m{i:02d}" for i in range(17)]
    cut17, exact17 = min_feedback_edges({(ring17[i], ring17[(i + 1) % 17]): 1 for i in range(17)}, ring17)
    assert not exact17
    assert len(cut17) == 1
