import assert from "node:assert/strict";
import * as Plot from "@observablehq/plot";
import { DOMParser } from "linkedom";
import { points } from "../lib/core/points.ts";
import {
  categoricalColors,
  Figure,
  frontHasGaps,
  plotConvergence,
  plotFront,
  plotFront2D,
  plotFront3D,
  plotFrontProjection,
  plotParallel,
  renderPlot,
} from "../lib/plot/mod.ts";
import { axisMap, thinLine, thinPoints } from "../lib/plot/thin.ts";
import { aggregateRuns } from "../lib/plot/curves.ts";
import { plotAgreement } from "../lib/plot/agreement.ts";

interface El {
  tagName: string;
  textContent: string | null;
  getAttribute(n: string): string | null;
  querySelectorAll(s: string): ArrayLike<El>;
}

/** Parses an SVG string as XML and returns its root element, checking the basics of a standalone SVG. */
function parseSvg(svg: string): El {
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" /);
  assert.ok(svg.endsWith("</svg>"));
  const doc = new DOMParser().parseFromString(svg, "image/svg+xml") as unknown as { documentElement: El };
  const root = doc.documentElement;
  assert.equal(root.tagName.toLowerCase(), "svg");
  assert.equal(root.getAttribute("xmlns"), "http://www.w3.org/2000/svg");
  assert.ok(Number(root.getAttribute("width")) > 0 && Number(root.getAttribute("height")) > 0);
  // No HTML leaks from Plot's <figure> output.
  assert.doesNotMatch(svg, /<(figure|div|span|h2|h3)[\s>]/);
  return root;
}

/** Circles drawn by Plot dot marks (legend symbols excluded). */
function dotCount(root: El): number {
  return root.querySelectorAll('g[aria-label="dot"] circle').length;
}

function legendLabels(root: El): string[] {
  return Array.from(root.querySelectorAll('g[aria-label="legend item"] text')).map((t) =>
    t.textContent ?? ""
  );
}

function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

const zdt1Truth = Array.from({ length: 101 }, (_, i) => [i / 100, 1 - Math.sqrt(i / 100)]);
function noisyZdt1(n: number, seed: number): number[][] {
  const r = rng(seed);
  return Array.from({ length: n }, () => {
    const f = r();
    return [f, 1 - Math.sqrt(f) + 0.1 * r()];
  });
}
function zdt3Truth(n: number): number[][] {
  const all = Array.from({ length: n }, (_, i) => {
    const f = i / (n - 1);
    return [f, 1 - Math.sqrt(f) - f * Math.sin(10 * Math.PI * f)];
  });
  const out: number[][] = [];
  let best = Infinity;
  for (const p of all) {
    if (p[1] < best) {
      out.push(p);
      best = p[1];
    }
  }
  return out;
}

Deno.test("plotFront 2-D: scatter circles, truth line, legend", () => {
  const fig = plotFront(
    [{ label: "NSGA-II", points: noisyZdt1(30, 1) }, { label: "MOEA/D", points: noisyZdt1(20, 2) }],
    { truth: zdt1Truth, title: "ZDT1" },
  );
  assert.ok(fig instanceof Figure);
  assert.equal(fig.title, "ZDT1");
  const root = parseSvg(fig.svg);
  assert.equal(dotCount(root), 50);
  assert.deepEqual(legendLabels(root), ["NSGA-II", "MOEA/D", "true front"]);
  assert.equal(root.querySelectorAll('g[aria-label="line"] path').length, 1);
  assert.equal(fig.width, 560);
  assert.equal(fig.height, 400);
  assert.ok(fig.svg.includes(">ZDT1</text>"));
  assert.ok(fig.svg.includes(">f1</text>") && fig.svg.includes(">f2</text>"));
});

Deno.test("plotFront 2-D accepts Points and plain rows; bare points get no legend", () => {
  const rows = noisyZdt1(12, 3);
  const p = points(rows.flat(), 2);
  const a = plotFront(p), b = plotFront(rows);
  assert.equal(a.svg, b.svg);
  const root = parseSvg(a.svg);
  assert.equal(dotCount(root), 12);
  assert.deepEqual(legendLabels(root), []);
  const c = plotFront2D(rows, { xLabel: "cost", yLabel: "risk", width: 400, height: 300 });
  assert.ok(c.svg.includes(">cost</text>") && c.svg.includes(">risk</text>"));
  assert.equal(c.width, 400);
  assert.equal(c.height, 300);
});

Deno.test("disconnected truth (ZDT3) is drawn as dots, ZDT1 as a line", () => {
  const z3 = zdt3Truth(1000);
  assert.equal(frontHasGaps(z3), true);
  assert.equal(frontHasGaps(zdt1Truth), false);
  assert.equal(
    frontHasGaps(Array.from({ length: 2000 }, (_, i) => [i / 1999, 1 - Math.sqrt(i / 1999)])),
    false,
  );
  assert.equal(frontHasGaps(Array.from({ length: 300 }, (_, i) => [i / 299, 1 - (i / 299) ** 2])), false);
  const auto = parseSvg(plotFront([{ label: "A", points: [[0.1, 0.9]] }], { truth: z3 }).svg);
  // Dots sharing a cell of the 3 px grid are drawn once (lib/plot/thin.ts).
  assert.ok(dotCount(auto) > 120 && dotCount(auto) <= 1 + z3.length, `${dotCount(auto)} dots`);
  assert.equal(auto.querySelectorAll('g[aria-label="line"]').length, 0);
  const forced = parseSvg(
    plotFront([{ label: "A", points: [[0.1, 0.9]] }], { truth: z3, truthStyle: "line" }).svg,
  );
  assert.equal(dotCount(forced), 1);
  assert.equal(forced.querySelectorAll('g[aria-label="line"]').length, 1);
  const dots = parseSvg(
    plotFront([[0.5, 0.5]], { truth: zdt1Truth, truthStyle: "dots", truthLabel: "PF" }).svg,
  );
  assert.ok(dotCount(dots) > 80 && dotCount(dots) <= 1 + zdt1Truth.length, `${dotCount(dots)} dots`);
  assert.deepEqual(legendLabels(dots), ["points", "PF"]);
});

function sphere(n: number, seed: number, noise = 0): number[][] {
  const r = rng(seed);
  return Array.from({ length: n }, () => {
    const a = r() * Math.PI / 2, b = r() * Math.PI / 2, s = 1 + noise * r();
    return [s * Math.cos(a) * Math.cos(b), s * Math.cos(a) * Math.sin(b), s * Math.sin(a)];
  });
}

Deno.test("3 objectives: pairwise grid with three panels", () => {
  const approx = sphere(25, 4, 0.1), truth = sphere(100, 5);
  const fig = plotFront([{ label: "NSGA-III", points: approx }], { truth });
  assert.equal(fig.svg, plotFront3D([{ label: "NSGA-III", points: approx }], { truth }).svg);
  const root = parseSvg(fig.svg);
  // Points sharing a cell of the thinning grid are drawn once: a few of the 375 go.
  assert.ok(dotCount(root) > 3 * 110 && dotCount(root) <= 3 * (25 + 100), `${dotCount(root)}`);
  // Three nested Plot panels plus the root.
  assert.equal(root.querySelectorAll("svg").length, 3);
  for (const label of [">f1</text>", ">f2</text>", ">f3</text>"]) assert.ok(fig.svg.includes(label));
  assert.deepEqual(legendLabels(root), ["NSGA-III", "true front"]);
  assert.throws(() => plotFront3D(zdt1Truth), RangeError);
});

Deno.test("plotFrontProjection: isometric scatter with axis names", () => {
  const fig = plotFrontProjection([{ label: "A", points: sphere(20, 6) }, {
    label: "B",
    points: sphere(10, 7),
  }], {
    truth: sphere(50, 8),
    title: "DTLZ2",
  });
  const root = parseSvg(fig.svg);
  assert.ok(dotCount(root) > 70 && dotCount(root) <= 80, `${dotCount(root)}`);
  assert.deepEqual(legendLabels(root), ["A", "B", "true front"]);
  for (const label of [">f1</text>", ">f2</text>", ">f3</text>"]) assert.ok(fig.svg.includes(label));
  assert.throws(() => plotFrontProjection(zdt1Truth), RangeError);
});

Deno.test("more than 3 objectives: parallel coordinates", () => {
  const r = rng(9);
  const p5 = Array.from({ length: 15 }, () => Array.from({ length: 5 }, () => r()));
  const fig = plotFront([{ label: "A", points: p5 }], { truth: p5.slice(0, 5) });
  assert.equal(fig.svg, plotParallel([{ label: "A", points: p5 }], { truth: p5.slice(0, 5) }).svg);
  const root = parseSvg(fig.svg);
  // One polyline per point: 15 for the series and 5 for the truth.
  assert.equal(root.querySelectorAll('g[aria-label="line"] path').length, 20);
  for (const label of [">f1</text>", ">f5</text>"]) assert.ok(fig.svg.includes(label));
});

Deno.test("plotConvergence: lines, runs band, legend, log axis", () => {
  const xs = Array.from({ length: 20 }, (_, i) => (i + 1) * 100);
  const fig = plotConvergence([
    { label: "NSGA-II", x: xs, y: xs.map((x) => 1 - Math.exp(-x / 500)) },
    {
      label: "SMS-EMOA",
      runs: [0, 1, 2].map((k) => ({ x: xs, y: xs.map((x) => 1 - Math.exp(-x / (400 + 100 * k))) })),
    },
  ], { title: "HV" });
  const root = parseSvg(fig.svg);
  assert.deepEqual(legendLabels(root), ["NSGA-II", "SMS-EMOA"]);
  assert.equal(root.querySelectorAll('g[aria-label="line"] path').length, 2);
  assert.equal(root.querySelectorAll('g[aria-label="area"] path').length, 1);
  assert.ok(fig.svg.includes(">evaluations</text>") && fig.svg.includes(">HV</text>"));
  const log = plotConvergence([{ label: "IGD", x: xs, y: xs.map((x) => 1 / x) }], {
    logY: true,
    yLabel: "IGD",
  });
  parseSvg(log.svg);
  assert.throws(() => plotConvergence([{ label: "IGD", x: [1, 2], y: [1, 0] }], { logY: true }), /IGD/);
});

Deno.test("aggregateRuns: mean, min and max on the union grid (step functions)", () => {
  const a = aggregateRuns([{ x: [0, 10, 20], y: [0, 1, 2] }, { x: [0, 5, 15, 20], y: [2, 3, 4, 5] }]);
  assert.deepEqual(a.x, [0, 5, 10, 15, 20]);
  assert.deepEqual(a.min, [0, 0, 1, 1, 2]);
  assert.deepEqual(a.max, [2, 3, 3, 4, 5]);
  assert.deepEqual(a.mean, [1, 1.5, 2, 2.5, 3.5]);
  assert.throws(() => aggregateRuns([{ x: [0, 1], y: [0, 1] }, { x: [2, 3], y: [0, 1] }]), RangeError);
});

Deno.test("Figure: Jupyter display bundle, toString, save", async () => {
  const fig = plotFront([{ label: "A", points: noisyZdt1(5, 10) }]);
  const display = (fig as unknown as Record<symbol, () => unknown>)[Symbol.for("Jupyter.display")];
  assert.equal(typeof display, "function");
  assert.deepEqual(display.call(fig), { "image/svg+xml": fig.svg });
  assert.equal(String(fig), fig.svg);
  assert.equal(`${fig}`, fig.svg);
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/nested/deeper/front.svg`;
    assert.equal(await fig.save(path), path);
    assert.equal(await Deno.readTextFile(path), fig.svg);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rendering is deterministic", () => {
  const make = () =>
    [
      plotFront([{ label: "A", points: noisyZdt1(30, 11) }], { truth: zdt1Truth }),
      plotFrontProjection([{ label: "A", points: sphere(20, 12) }], { truth: sphere(30, 13) }),
      plotConvergence([{ label: "A", runs: [{ x: [1, 2, 3], y: [1, 2, 3] }, { x: [1, 3], y: [0, 4] }] }]),
    ].map((f) => f.svg);
  assert.deepEqual(make(), make());
  // Plot's global id counters (clip paths, markers) are renumbered per document.
  const clipped = () => renderPlot({ clip: true, marks: [Plot.dot([[0, 0], [1, 1]]), Plot.frame()] });
  const first = clipped();
  assert.equal(first, clipped());
  assert.ok(first.includes('id="plot-clip-1"'));
});

Deno.test("renderPlot turns Plot's <figure> (legend, title) into a standalone SVG", () => {
  const svg = renderPlot({
    title: "T & <U>",
    color: { legend: true },
    marks: [Plot.dot([{ x: 1, y: 2, c: "a" }, { x: 2, y: 3, c: "b" }], { x: "x", y: "y", fill: "c" })],
  });
  const root = parseSvg(svg);
  assert.deepEqual(legendLabels(root), ["a", "b"]);
  assert.ok(svg.includes("T &amp; &lt;U&gt;"));
  assert.equal(dotCount(root), 2);
});

Deno.test("bad input throws a RangeError naming the series", () => {
  assert.throws(() => plotFront([]), RangeError);
  assert.throws(() => plotFront([{ label: "empty one", points: [] }]), /series "empty one" is empty/);
  assert.throws(
    () => plotFront([{ label: "A", points: [[0, 1]] }, { label: "nan set", points: [[0, NaN]] }]),
    (e: unknown) => e instanceof RangeError && /series "nan set"/.test(e.message) && /NaN/.test(e.message),
  );
  assert.throws(
    () => plotFront([{ label: "A", points: [[0, 1]] }, { label: "B", points: [[0, 1, 2]] }]),
    /series "B" has 3 objectives/,
  );
  assert.throws(() => plotFront([{ label: "ragged", points: [[0, 1], [2]] }]), /series "ragged"/);
  assert.throws(() => plotFront([[1], [2]]), /at least 2 objectives/);
  assert.throws(() => plotFront([[0, 1]], { truth: [[0, Infinity]] }), /truth/);
  assert.throws(() => plotFront([[0, 1]], { truth: [[0, 1, 2]] }), /truth has 3 objectives/);
  assert.throws(() => plotConvergence([]), RangeError);
  assert.throws(
    () => plotConvergence([{ label: "short", x: [1, 2, 3], y: [1, 2] }]),
    /series "short".*x has 3/,
  );
  assert.throws(() => plotConvergence([{ label: "none", x: [], y: [] }]), /series "none" is empty/);
  assert.throws(
    () => plotConvergence([{ label: "bad", x: [1, 2], y: [1, NaN] }]),
    /series "bad": y\[1\] is NaN/,
  );
  assert.throws(
    () => plotConvergence([{ label: "runs", runs: [{ x: [1], y: [1] }, { x: [1, 2], y: [1] }] }]),
    /series "runs", run 1/,
  );
  assert.throws(() => plotConvergence([{ label: "no runs", runs: [] }]), /"no runs" has no runs/);
});

Deno.test("plotAgreement: one circle per pair, the diagonal, legend, and clear errors", () => {
  const fig = plotAgreement([
    { label: "NSGA-II", x: [0.1, 0.5, 0.7], y: [0.12, 0.48, 0.71] },
    { label: "MOEA/D", x: [0.2, 0.3], y: [0.25, 0.31] },
  ], { title: "ours vs paper" });
  assert.equal((fig.svg.match(/<circle/g) ?? []).length >= 5, true);
  assert.match(fig.svg, /NSGA-II/);
  assert.match(fig.svg, /y = x/);
  assert.throws(
    () => plotAgreement([{ label: "a", x: [1], y: [1, 2] }]),
    /series "a": x has 1 values but y has 2/,
  );
  assert.throws(() => plotAgreement([{ label: "a", x: [NaN], y: [1] }]), /point 0 is not finite/);
  assert.throws(() => plotAgreement([]), /no series/);
});

Deno.test("categorical colours do not repeat for up to 20 series", () => {
  const c20 = categoricalColors(20);
  assert.equal(new Set(c20).size, 20);
  assert.deepEqual(
    c20.slice(0, 10),
    [...Plot.scale({ color: { type: "categorical", domain: ["a"] } }).range!].slice(0, 10),
  );
  for (const c of c20) assert.match(c, /^#[0-9a-f]{6}$/);
  assert.equal(categoricalColors(21)[20], c20[0]);
  // A 12-series front plot: every series has its own colour in the legend.
  const svg = plotFront(
    Array.from({ length: 12 }, (_, i) => ({ label: `LLM-${i + 1}`, points: [[i, 12 - i]] })),
  ).svg;
  const fills = [...svg.matchAll(/<circle [^>]*stroke="(#[0-9a-f]{6})"/g)].map((m) => m[1]);
  assert.equal(new Set(fills).size, 12);
});

Deno.test("thinning keeps one mark per pixel and every visible point", () => {
  const x = axisMap([0, 1], 500), y = axisMap([0, 1], 400);
  // 8,019 points on a curve: at most one per pixel of its length.
  const n = 8019;
  const xs = Array.from({ length: n }, (_, i) => i / (n - 1)), ys = xs.map((v) => 1 - v * v);
  const kept = thinPoints(xs, ys, x, y);
  assert.ok(kept.length < 1200 && kept.length > 300, `${kept.length}`);
  // Every dropped point shares a pixel with a kept one.
  const keptCells = new Set(kept.map((i) => `${Math.floor(xs[i] * 500)},${Math.floor(ys[i] * 400)}`));
  for (let i = 0; i < n; i += 7) {
    assert.ok(keptCells.has(`${Math.floor(xs[i] * 500)},${Math.floor(ys[i] * 400)}`));
  }
  // A polyline: first and last kept, kept vertices at least 0.75 px apart.
  const line = thinLine(xs, ys, x, y);
  assert.equal(line[0], 0);
  assert.equal(line[line.length - 1], n - 1);
  assert.ok(line.length < 1000, `${line.length}`);
  assert.deepEqual(thinLine([0, 1], [0, 1], x, y), [0, 1]);
  assert.throws(() => thinPoints(xs, ys, x, y, 0), /cell must be a positive number of pixels/);
});

Deno.test("front plots: a 10,000-point truth and a dense series stay small; dense series are drawn first", () => {
  const n = 10_000;
  const truth = Array.from({ length: n }, (_, i) => [i / (n - 1), 1 - Math.sqrt(i / (n - 1))]);
  const bound = Array.from({ length: 8019 }, (_, i) => [i / 8018, 1.05 - Math.sqrt(i / 8018)]);
  const svg = plotFront([
    { label: "OptLLM (predicted acc.)", points: [[0.25, 0.5], [0.5, 0.3]] },
    { label: "LP bound", points: bound },
  ], { truth }).svg;
  assert.ok(svg.length < 120_000, `${svg.length} characters`);
  const root = parseSvg(svg);
  assert.ok(dotCount(root) < 1500, `${dotCount(root)} circles`);
  // The sparse series' circles come after (are drawn above) the dense one's.
  const colors = categoricalColors(2);
  const marks = svg.slice(svg.indexOf('aria-label="dot"'));
  assert.ok(marks.lastIndexOf(`stroke="${colors[1]}"`) < marks.indexOf(`stroke="${colors[0]}"`));
  // As a line, the dense series is a path beneath the points, with a line symbol in the legend.
  const asLine = plotFront([
    { label: "OptLLM", points: [[0.25, 0.5]] },
    { label: "LP bound", points: bound, style: "line" },
  ]).svg;
  assert.equal(parseSvg(asLine).querySelectorAll('g[aria-label="line"] path').length, 1);
  assert.ok(asLine.length < 40_000, `${asLine.length}`);
  assert.throws(
    () => plotFront([{ label: "x", points: [[1, 2]], style: "bars" as "line" }]),
    /style must be/,
  );
});

Deno.test("front plots: log axes", () => {
  const pts = [[0.001, 0.5], [0.01, 0.6], [0.1, 0.7], [25, 0.9]];
  const svg = plotFront([{ label: "costs", points: pts }], { xScale: "log" }).svg;
  const ticks = Array.from(parseSvg(svg).querySelectorAll('g[aria-label="x-axis tick label"] text')).map((
    t,
  ) => t.textContent);
  assert.deepEqual(ticks.filter((t) => t !== ""), ["0.001", "0.01", "0.1", "1", "10", "100"]);
  assert.throws(
    () => plotFront([{ label: "c", points: [[0, 1]] }], { xScale: "log" }),
    /needs positive f1 values, got 0/,
  );
  assert.throws(
    () => plotFront([{ label: "c", points: [[1, 1]] }], { yScale: "ln" as "log" }),
    /yScale must be/,
  );
});

Deno.test("a figure with a title is labelled for screen readers and figure names", () => {
  const svg = plotFront([[0.1, 0.2]], { title: 'ZDT1 & "friends"' }).svg;
  assert.match(svg, /^<svg [^>]*role="img" aria-label="ZDT1 &amp; &quot;friends&quot;"/);
});

Deno.test("convergence lines are thinned to the pixel grid, bands stay beneath the lines", () => {
  const n = 20_000;
  const x = Array.from({ length: n }, (_, i) => i);
  const svg = plotConvergence([
    { label: "dense", x, y: x.map((v) => 1 - Math.exp(-v / 3000)) },
    {
      label: "runs",
      runs: [{ x: [0, 10_000, 20_000], y: [0.1, 0.5, 0.6] }, { x: [0, 10_000, 20_000], y: [0.2, 0.6, 0.7] }],
    },
  ]).svg;
  assert.ok(svg.length < 40_000, `${svg.length} characters`);
  assert.ok(svg.indexOf('aria-label="area"') < svg.indexOf('aria-label="line"'));
});
