/** Small dense linear algebra for the OOD model (float64, row-major). */

/** Gram-Schmidt (twice, for stability) on the columns of a d x m matrix stored column-wise. */
export function orthonormalColumns(cols: Float64Array[]): Float64Array[] {
  const out: Float64Array[] = [];
  for (const c of cols) {
    const v = Float64Array.from(c);
    for (let pass = 0; pass < 2; pass++) {
      for (const q of out) {
        let dot = 0;
        for (let i = 0; i < v.length; i++) dot += v[i] * q[i];
        for (let i = 0; i < v.length; i++) v[i] -= dot * q[i];
      }
    }
    let norm = 0;
    for (let i = 0; i < v.length; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    if (norm < 1e-9) continue;
    for (let i = 0; i < v.length; i++) v[i] /= norm;
    out.push(v);
  }
  return out;
}

/** Inverse of a symmetric positive-definite k x k matrix by Gauss-Jordan with partial pivoting. */
export function invert(a: Float64Array, k: number): Float64Array {
  const m = Float64Array.from(a);
  const inv = new Float64Array(k * k);
  for (let i = 0; i < k; i++) inv[i * k + i] = 1;
  for (let col = 0; col < k; col++) {
    let piv = col;
    for (let r = col + 1; r < k; r++) if (Math.abs(m[r * k + col]) > Math.abs(m[piv * k + col])) piv = r;
    if (piv !== col) {
      for (let c = 0; c < k; c++) {
        [m[col * k + c], m[piv * k + c]] = [m[piv * k + c], m[col * k + c]];
        [inv[col * k + c], inv[piv * k + c]] = [inv[piv * k + c], inv[col * k + c]];
      }
    }
    const d = m[col * k + col];
    for (let c = 0; c < k; c++) {
      m[col * k + c] /= d;
      inv[col * k + c] /= d;
    }
    for (let r = 0; r < k; r++) {
      if (r === col) continue;
      const f = m[r * k + col];
      if (f === 0) continue;
      for (let c = 0; c < k; c++) {
        m[r * k + c] -= f * m[col * k + c];
        inv[r * k + c] -= f * inv[col * k + c];
      }
    }
  }
  return inv;
}

/** Seeded standard normal samples (Box-Muller). */
export function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function quantile(values: number[], q: number): number {
  const s = values.slice().sort((a, b) => a - b);
  if (!s.length) return NaN;
  const pos = Math.min(s.length - 1, Math.max(0, q * (s.length - 1)));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}
