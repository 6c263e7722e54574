"""A pure-Python layered (Sugiyama-style) graph layout, always available.

Steps, each deterministic (ties broken by node id):

1. **Cycle removal**: depth-first search in sorted order; edges that close a
   cycle are reversed for layout purposes only (drawn in their real direction).
2. **Layering**: topological generations of the resulting DAG (a node sits one
   layer below its deepest predecessor); edges spanning several layers get dummy
   nodes, so they become polylines.
3. **Ordering**: barycentre heuristic, alternating downward and upward sweeps;
   the order with the fewest crossings (counted exactly, by inversions) wins.
4. **Coordinates**: nodes are packed left to right, then pulled towards the mean
   position of their neighbours over a few sweeps while keeping order and gaps;
   layers are stacked top to bottom.

The result gives every node a box and every edge a list of points; drawing is
left to :mod:`backendscan.report.svg`.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

Node = Any  # any hashable, sortable by str()


@dataclass
class Box:
    """A laid-out node: centre ``x``/``y``, size, layer and position in the layer."""

    id: Node
    width: float
    height: float
    layer: int = 0
    order: int = 0
    x: float = 0.0
    y: float = 0.0
    dummy: bool = False

    @property
    def left(self) -> float:
        return self.x - self.width / 2

    @property
    def top(self) -> float:
        return self.y - self.height / 2


@dataclass
class Route:
    """A laid-out edge: its real endpoints and the points it passes through."""

    source: Node
    target: Node
    points: list[tuple[float, float]] = field(default_factory=list)
    reversed: bool = False


@dataclass
class Layout:
    """Boxes, routes and the drawing size."""

    boxes: dict[Node, Box]
    routes: list[Route]
    width: float
    height: float
    layers: int
    crossings: int


def _key(n: Node) -> str:
    return str(n)


def _acyclic(nodes: Sequence[Node], edges: Sequence[tuple[Node, Node]]) -> set[tuple[Node, Node]]:
    """Edges to reverse so that the graph has no cycle (DFS back edges, sorted order)."""
    succ: dict[Node, list[Node]] = {n: [] for n in nodes}
    for a, b in edges:
        succ[a].append(b)
    for n in succ:
        succ[n].sort(key=_key)
    state: dict[Node, int] = {}
    back: set[tuple[Node, Node]] = set()
    for root in sorted(nodes, key=_key):
        if root in state:
            continue
        stack: list[tuple[Node, int]] = [(root, 0)]
        state[root] = 1
        while stack:
            n, i = stack[-1]
            if i < len(succ[n]):
                stack[-1] = (n, i + 1)
                m = succ[n][i]
                s = state.get(m, 0)
                if s == 0:
                    state[m] = 1
                    stack.append((m, 0))
                elif s == 1:
                    back.add((n, m))
            else:
                state[n] = 2
                stack.pop()
    return back


def _layers(nodes: Sequence[Node], dag: Sequence[tuple[Node, Node]]) -> dict[Node, int]:
    preds: dict[Node, list[Node]] = {n: [] for n in nodes}
    indeg = {n: 0 for n in nodes}
    succ: dict[Node, list[Node]] = {n: [] for n in nodes}
    for a, b in dag:
        preds[b].append(a)
        succ[a].append(b)
        indeg[b] += 1
    layer: dict[Node, int] = {}
    topo: list[Node] = []
    ready = sorted((n for n in nodes if indeg[n] == 0), key=_key)
    while ready:
        nxt: list[Node] = []
        for n in ready:
            topo.append(n)
            layer[n] = max((layer[p] + 1 for p in preds[n]), default=0)
            for m in succ[n]:
                indeg[m] -= 1
                if indeg[m] == 0:
                    nxt.append(m)
        ready = sorted(nxt, key=_key)
    for n in nodes:  # pragma: no cover - only if the DAG still had a cycle
        layer.setdefault(n, 0)
    # move nodes down towards their successors (shorter edges, fewer dummies): sources no longer
    # all crowd the top layer
    for n in reversed(topo):
        if succ[n]:
            layer[n] = max(layer[n], min(layer[m] for m in succ[n]) - 1)
    return layer


def _inversions(seq: list[int]) -> int:
    """Number of pairs i < j with seq[i] > seq[j] (crossings between two layers)."""
    count = 0
    seen: list[int] = []
    for v in reversed(seq):
        i = bisect_left(seen, v)
        count += i
        seen.insert(i, v)
    return count


def _crossings(order: list[list[Node]], down: Mapping[Node, list[Node]]) -> int:
    total = 0
    for upper, lower in zip(order, order[1:]):
        pos = {n: i for i, n in enumerate(lower)}
        seq: list[int] = []
        for n in upper:
            seq.extend(sorted(pos[m] for m in down.get(n, ()) if m in pos))
        total += _inversions(seq)
    return total


def _spaced(want: list[float], gaps: list[float]) -> list[float]:
    """Positions closest (least squares) to ``want`` that keep order and the minimum ``gaps``.

    With offsets o_k = sum of the gaps before k, y_k = x_k - o_k must be non-decreasing:
    isotonic regression of (want_k - o_k), solved exactly by pool-adjacent-violators.
    """
    offsets = [0.0]
    for g in gaps:
        offsets.append(offsets[-1] + g)
    target = [w - o for w, o in zip(want, offsets)]
    blocks: list[list[float]] = []  # [sum, count]
    for t in target:
        blocks.append([t, 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            s, c = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += c
    y: list[float] = []
    for s, c in blocks:
        y.extend([s / c] * int(c))
    return [v + o for v, o in zip(y, offsets)]


def layered_layout(
    sizes: Mapping[Node, tuple[float, float]],
    edges: Iterable[tuple[Node, Node]],
    *,
    layer_gap: float = 56.0,
    node_gap: float = 22.0,
    margin: float = 16.0,
    sweeps: int = 8,
) -> Layout:
    """Lay out a directed graph top to bottom (sources on top)."""
    nodes = sorted(sizes, key=_key)
    real = sorted({(a, b) for a, b in edges if a != b and a in sizes and b in sizes}, key=lambda e: (_key(e[0]), _key(e[1])))
    back = _acyclic(nodes, real)
    dag = sorted({(b, a) if (a, b) in back else (a, b) for a, b in real}, key=lambda e: (_key(e[0]), _key(e[1])))
    layer = _layers(nodes, dag)

    boxes: dict[Node, Box] = {n: Box(n, sizes[n][0], sizes[n][1], layer[n]) for n in nodes}
    down: dict[Node, list[Node]] = {n: [] for n in nodes}
    up: dict[Node, list[Node]] = {n: [] for n in nodes}
    chains: dict[tuple[Node, Node], list[Node]] = {}
    dummy_id = 0
    for a, b in dag:
        chain = [a]
        for lay in range(layer[a] + 1, layer[b]):
            d = ("\x00dummy", dummy_id)
            dummy_id += 1
            boxes[d] = Box(d, 0.0, 0.0, lay, dummy=True)
            down[d], up[d] = [], []
            chain.append(d)
        chain.append(b)
        for u, v in zip(chain, chain[1:]):
            down[u].append(v)
            up[v].append(u)
        chains[(a, b)] = chain
    n_layers = max((b.layer for b in boxes.values()), default=-1) + 1
    order: list[list[Node]] = [[] for _ in range(n_layers)]
    # initial order: DFS from the sources so that connected nodes start close together
    placed: set[Node] = set()
    for root in sorted((n for n in boxes if not up[n]), key=lambda n: (boxes[n].dummy, _key(n))):
        stack = [root]
        while stack:
            n = stack.pop()
            if n in placed:
                continue
            placed.add(n)
            order[boxes[n].layer].append(n)
            stack.extend(sorted(down[n], key=_key, reverse=True))
    for n in sorted(boxes, key=_key):
        if n not in placed:  # pragma: no cover - every node hangs below some source
            order[boxes[n].layer].append(n)

    def sweep(order: list[list[Node]], downward: bool) -> list[list[Node]]:
        new = [list(layer_nodes) for layer_nodes in order]
        rng = range(1, n_layers) if downward else range(n_layers - 2, -1, -1)
        for i in rng:
            ref = new[i - 1] if downward else new[i + 1]
            pos = {n: k for k, n in enumerate(ref)}
            nbrs = up if downward else down
            current = {n: k for k, n in enumerate(new[i])}

            def bary(n: Node) -> tuple[float, int]:
                ps = [pos[m] for m in nbrs[n] if m in pos]
                return (sum(ps) / len(ps) if ps else float(current[n]), current[n])

            new[i].sort(key=bary)
        return new

    best = order
    best_cross = _crossings(order, down)
    current = order
    for i in range(sweeps):
        current = sweep(current, downward=(i % 2 == 0))
        c = _crossings(current, down)
        if c < best_cross:
            best, best_cross = current, c
        if best_cross == 0:
            break
    order = best

    # coordinates
    layer_height = [max((boxes[n].height for n in layer_nodes), default=0.0) for layer_nodes in order]
    y = margin
    for i, layer_nodes in enumerate(order):
        for k, n in enumerate(layer_nodes):
            b = boxes[n]
            b.order = k
            b.y = y + layer_height[i] / 2
        y += layer_height[i] + layer_gap
    height = y - layer_gap + margin

    def gap(a: Node, b: Node) -> float:
        ga = node_gap if not boxes[a].dummy else node_gap / 3
        gb = node_gap if not boxes[b].dummy else node_gap / 3
        return boxes[a].width / 2 + boxes[b].width / 2 + max(ga, gb)

    for layer_nodes in order:  # initial packing, each layer centred on 0
        x = 0.0
        xs = []
        for k, n in enumerate(layer_nodes):
            if k:
                x += gap(layer_nodes[k - 1], n)
            xs.append(x)
        for n, x in zip(layer_nodes, xs):
            boxes[n].x = x - xs[-1] / 2
    for it in range(8):
        downward = it % 2 == 0
        rng = range(1, n_layers) if downward else range(n_layers - 2, -1, -1)
        for i in rng:
            nbrs = up if downward else down
            layer_nodes = order[i]
            want = []
            for n in layer_nodes:
                xs = [boxes[m].x for m in nbrs[n]]
                want.append(sum(xs) / len(xs) if xs else boxes[n].x)
            gaps = [gap(a, b) for a, b in zip(layer_nodes, layer_nodes[1:])]
            for n, x in zip(layer_nodes, _spaced(want, gaps)):
                boxes[n].x = x
    min_x = min((b.x - b.width / 2 for b in boxes.values()), default=0.0)
    for b in boxes.values():
        b.x += margin - min_x
    width = max((b.x + b.width / 2 for b in boxes.values()), default=0.0) + margin

    routes: list[Route] = []
    for a, b in real:
        rev = (a, b) in back
        chain = chains[(b, a) if rev else (a, b)]
        pts = []
        for k, n in enumerate(chain):
            bx = boxes[n]
            if k == 0:
                pts.append((bx.x, bx.y + bx.height / 2))
            elif k == len(chain) - 1:
                pts.append((bx.x, bx.y - bx.height / 2))
            else:
                pts.append((bx.x, bx.y))
        if rev:
            pts.reverse()
        routes.append(Route(a, b, pts, rev))
    # spread edge ends over the box sides (ordered by where the other end is) instead of one point
    ends: dict[tuple[Node, float], list[tuple[float, str, str, Route, int]]] = defaultdict(list)
    for r in routes:
        if len(r.points) < 2:
            continue
        ends[(r.source, r.points[0][1])].append((r.points[1][0], str(r.source), str(r.target), r, 0))
        ends[(r.target, r.points[-1][1])].append((r.points[-2][0], str(r.source), str(r.target), r, -1))
    for (node, _), group in sorted(ends.items(), key=lambda t: (str(t[0][0]), t[0][1])):
        if len(group) < 2:
            continue
        group.sort(key=lambda t: (t[0], t[1], t[2]))
        span = boxes[node].width * 0.6
        for k, (_, _, _, r, idx) in enumerate(group):
            x, y = r.points[idx]
            r.points[idx] = (boxes[node].x - span / 2 + span * k / (len(group) - 1), y)
    real_boxes = {n: b for n, b in boxes.items() if not b.dummy}
    return Layout(real_boxes, routes, round(width, 1), round(height, 1), n_layers, best_cross)
