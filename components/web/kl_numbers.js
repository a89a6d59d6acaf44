// The KL page's numbers, as the page computes them: the grid and trapezoid sums of sae_core/divergence/measures.py
// (shared_grid, compare_continuous; kl_divergence and js_divergence for bars), so the canvas's readout agrees with
// the metrics under it and JS never passes ln 2 (tests/components/test_canvas_numbers.py runs this under Node).

export const LN2 = Math.log(2);

export const clamp = (v, lo, hi) => Math.min(Math.max(v, lo), hi);

function gaussLog(x, mu, s) {
  const z = (x - mu) / s;
  return -0.5 * z * z - Math.log(s * Math.sqrt(2 * Math.PI));
}

export function logpdf(d, x) {
  const s = d.sd;
  if (d.family === "gaussian") return gaussLog(x, d.loc, s);
  if (d.family === "laplace") { const b = s / Math.SQRT2; return -Math.abs(x - d.loc) / b - Math.log(2 * b); }
  if (d.family === "uniform") {
    const half = Math.sqrt(3) * s;
    return x >= d.loc - half && x <= d.loc + half ? -Math.log(2 * half) : -Infinity;
  }
  const a = gaussLog(x, d.loc - 0.8 * s, 0.6 * s), b = gaussLog(x, d.loc + 0.8 * s, 0.6 * s);
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m)) - LN2;
}

const GRID_POINTS = 4001, GRID_MAX = 200001;

function support(d) {
  if (d.family === "uniform") { const half = Math.sqrt(3) * d.sd; return [d.loc - half, d.loc + half]; }
  const reach = d.family === "laplace" ? 16 : 12;
  return [d.loc - reach * d.sd, d.loc + reach * d.sd];
}

function breakpoints(d) {
  if (d.family === "uniform") return support(d);
  return d.family === "laplace" ? [d.loc] : [];
}

// measures.shared_grid: numpy's linspace (its last point exactly `hi`) with the kinks and jumps merged in.
function sharedGrid(p, q) {
  const [pLo, pHi] = support(p), [qLo, qHi] = support(q);
  const lo = Math.min(pLo, qLo), hi = Math.max(pHi, qHi);
  const needed = Math.ceil((hi - lo) / (Math.min(p.sd, q.sd) / 25)) + 1;
  const n = Math.max(GRID_POINTS, Math.min(needed, GRID_MAX));
  const step = (hi - lo) / (n - 1);
  const grid = new Float64Array(n);
  for (let i = 0; i < n; i++) grid[i] = lo + i * step;
  grid[n - 1] = hi;
  const extra = [...breakpoints(p), ...breakpoints(q)].filter((b) => lo <= b && b <= hi);
  if (!extra.length) return grid;
  return Float64Array.from(new Set([...grid, ...extra])).sort();
}

function logaddexp(a, b) {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

// measures.compare_continuous: KL both ways and JS in nats, trapezoid sums of log-density terms.
export function continuousNumbers(p, q) {
  const grid = sharedGrid(p, q);
  const sums = { kl_pq: 0, kl_qp: 0, js: 0 };
  let prev = null;
  for (let i = 0; i < grid.length; i++) {
    const lp = logpdf(p, grid[i]), lq = logpdf(q, grid[i]);
    const dp = Math.exp(lp), dq = Math.exp(lq), lm = logaddexp(lp, lq) - LN2;
    const t = {
      kl_pq: dp > 0 ? dp * (lp - lq) : 0,
      kl_qp: dq > 0 ? dq * (lq - lp) : 0,
      js: 0.5 * ((dp > 0 ? dp * (lp - lm) : 0) + (dq > 0 ? dq * (lq - lm) : 0)),
    };
    if (prev) for (const k in sums) sums[k] += ((grid[i] - grid[i - 1]) * (t[k] + prev[k])) / 2;
    prev = t;
  }
  return { kl_pq: sums.kl_pq, kl_qp: sums.kl_qp, js: clamp(sums.js, 0, LN2) };
}

function relEntr(x, y) {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  return x === 0 && y >= 0 ? 0 : Infinity;
}

// measures.kl_divergence and js_divergence (scipy's rel_entr) on the normalised bars, in nats.
export function discreteNumbers(pBars, qBars) {
  const total = (v) => v.reduce((a, b) => a + b, 0);
  const tp = total(pBars), tq = total(qBars);
  const p = pBars.map((v) => v / tp), q = qBars.map((v) => v / tq);
  let klpq = 0, klqp = 0, js = 0;
  p.forEach((pv, i) => {
    const qv = q[i], m = 0.5 * (pv + qv);
    klpq += relEntr(pv, qv);
    klqp += relEntr(qv, pv);
    js += 0.5 * (relEntr(pv, m) + relEntr(qv, m));
  });
  return { kl_pq: klpq, kl_qp: klqp, js: clamp(js, 0, LN2) };
}

export function numbers(state) {
  return state.mode === "discrete" ? discreteNumbers(state.pBars, state.qBars) : continuousNumbers(state.p, state.q);
}

// Pointwise terms of the three divergences, given probabilities (or densities) p and q.
export function terms(p, q) {
  const lp = Math.log(p), lq = Math.log(q), m = 0.5 * (p + q), lm = Math.log(m);
  const klpq = p > 0 ? (q > 0 ? p * (lp - lq) : Infinity) : 0;
  const klqp = q > 0 ? (p > 0 ? q * (lq - lp) : Infinity) : 0;
  const js = 0.5 * ((p > 0 ? p * (lp - lm) : 0) + (q > 0 ? q * (lq - lm) : 0));
  return { kl_pq: klpq, kl_qp: klqp, js };
}

export function formatValue(v, units) {
  if (!isFinite(v)) return "∞";
  return (units === "bits" ? v / LN2 : v).toFixed(3);
}
