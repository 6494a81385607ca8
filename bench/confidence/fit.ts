/**
 * Logistic regression by Newton's method (iteratively reweighted least squares), for the few features
 * of the confidence model: exact to the last digit in a dozen steps, whatever the features' scales
 * (plain gradient descent crawls when one feature counts words and another is a share).
 * Returns [bias, ...weights]. A tiny ridge keeps a feature that never varies from blowing up.
 */
export function fitLogistic(x: number[][], y: boolean[], ridge = 1e-4): number[] {
  const k = (x[0]?.length ?? 0) + 1
  let w = new Array<number>(k).fill(0)
  for (let step = 0; step < 50; step++) {
    const grad = new Array<number>(k).fill(0)
    const hess = Array.from({ length: k }, () => new Array<number>(k).fill(0))
    for (const [n, row] of x.entries()) {
      const v = [1, ...row]
      const z = v.reduce((a, xi, i) => a + xi * w[i]!, 0)
      const p = 1 / (1 + Math.exp(-z))
      const e = p - (y[n] ? 1 : 0)
      const s = p * (1 - p)
      for (let i = 0; i < k; i++) {
        grad[i]! += e * v[i]!
        for (let j = 0; j < k; j++) hess[i]![j]! += s * v[i]! * v[j]!
      }
    }
    for (let i = 1; i < k; i++) {
      grad[i]! += ridge * w[i]!
      hess[i]![i]! += ridge
    }
    const delta = solve(hess, grad)
    w = w.map((wi, i) => wi - delta[i]!)
    if (Math.max(...delta.map(Math.abs)) < 1e-9) break
  }
  return w
}

/** Solves a · d = b by Gaussian elimination with partial pivoting (a is small and positive definite). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length
  const m = a.map((row, i) => [...row, b[i]!])
  for (let c = 0; c < n; c++) {
    let pivot = c
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) pivot = r
    ;[m[c], m[pivot]] = [m[pivot]!, m[c]!]
    for (let r = 0; r < n; r++) {
      if (r === c) continue
      const f = m[r]![c]! / m[c]![c]!
      for (let j = c; j <= n; j++) m[r]![j]! -= f * m[c]![j]!
    }
  }
  return m.map((row, i) => row[n]! / row[i]!)
}
