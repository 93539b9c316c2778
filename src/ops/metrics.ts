/**
 * Metric rules of the gate, pure: a small JsonPath subset to find a metric in a report, and the
 * verdict of each rule against the candidate's value and the baseline's.
 *
 * Verdicts of the whole gate:
 * - `fail`: at least one rule failed — a threshold not met, a regression beyond its limit, a
 *   required metric missing from the candidate's report, or a non-numeric candidate value.
 *   This holds with or without a baseline.
 * - `no-baseline`: no rule failed, but there was no baseline to compare with (no Approved
 *   package, or it has no readable report), so only thresholds were checked; regression limits
 *   were not. Counts as passing.
 * - `pass`: no rule failed and a baseline was available.
 */
import type { MetricRule } from '../spec/types.generated.js';

export type JsonPathSegment = string | number;

/** A JsonPath outside the supported subset. */
export class JsonPathError extends Error {
  override readonly name = 'JsonPathError';
}

/**
 * Parses the subset the gate (like SageMaker's JsonGet) needs: dotted names, `[n]` and `['k']` /
 * `["k"]`, optionally after a leading `$` or `$.`. Example: `metrics.f1.value`,
 * `$.classes[0]['macro avg'].f1`.
 */
export function parseJsonPath(path: string): JsonPathSegment[] {
  let s = path.trim();
  if (s.startsWith('$')) s = s.slice(1).replace(/^\./, '');
  const segments: JsonPathSegment[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new JsonPathError(`JsonPath ${JSON.stringify(path)}: ${why} at character ${i + 1}`);
  };
  if (s === '') fail('empty path');
  while (i < s.length) {
    const c = s[i];
    if (c === '[') {
      const rest = s.slice(i);
      const index = /^\[(\d+)\]/.exec(rest);
      const quoted = /^\[(['"])((?:\\.|(?!\1).)*)\1\]/.exec(rest);
      if (index) {
        segments.push(Number(index[1]));
        i += index[0].length;
      } else if (quoted) {
        segments.push((quoted[2] as string).replace(/\\(.)/g, '$1'));
        i += quoted[0].length;
      } else {
        fail('expected [n] or [\'name\']');
      }
    } else if (c === '.') {
      if (i === 0 || s[i + 1] === undefined || s[i + 1] === '.' || s[i + 1] === '[') fail('misplaced "."');
      i += 1;
    } else {
      const name = /^[^.[\]'"\s]+/.exec(s.slice(i));
      if (!name) fail(`unexpected ${JSON.stringify(c)}`);
      segments.push((name as RegExpExecArray)[0]);
      i += (name as RegExpExecArray)[0].length;
    }
  }
  return segments;
}

/** The value at `segments` inside `data`, or `{ found: false }`. Never follows prototype keys. */
export function getAtPath(data: unknown, segments: readonly JsonPathSegment[]): { found: true; value: unknown } | { found: false } {
  let current: unknown = data;
  for (const seg of segments) {
    if (typeof seg === 'number') {
      if (!Array.isArray(current) || seg >= current.length) return { found: false };
      current = current[seg];
    } else {
      if (current === null || typeof current !== 'object' || Array.isArray(current) || !Object.hasOwn(current, seg)) return { found: false };
      current = (current as Record<string, unknown>)[seg];
    }
  }
  return { found: true, value: current };
}

export type MetricStatus = 'pass' | 'fail' | 'missing';

export interface MetricResult {
  /** The rule's label, or its path. Untrusted (spec text): escape when rendering. */
  label: string;
  path: string;
  direction: MetricRule['direction'];
  required: boolean;
  /** The candidate's value, when it is a number. */
  candidate?: number;
  /** The candidate's value as found, when it is not a number (for the report). */
  candidateRaw?: string;
  baseline?: number;
  /** candidate − baseline. */
  delta?: number;
  threshold?: number;
  /** The worst value the regression limit allows (baseline ∓ the allowed regression). */
  regressionLimit?: number;
  maxRegression?: { absolute: number } | { relative: number };
  /** `missing`: an optional metric absent from the candidate's report (reported, not failing). */
  status: MetricStatus;
  /** Why it failed, and notes (baseline value missing, regression not checked…). */
  reasons: string[];
}

export type GateVerdict = 'pass' | 'fail' | 'no-baseline';

export interface Evaluation {
  verdict: GateVerdict;
  metrics: MetricResult[];
}

/** Tolerance for float noise: 0.9 − 0.02·0.9 must equal a candidate of 0.882. */
const EPSILON = 1e-9;

function numberOrRaw(v: unknown): { n: number } | { raw: string } {
  if (typeof v === 'number' && Number.isFinite(v)) return { n: v };
  let raw: string;
  try {
    raw = typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  } catch {
    raw = String(v);
  }
  return { raw: raw.length > 80 ? `${raw.slice(0, 79)}…` : raw };
}

/**
 * Applies the rules to the candidate's report and, when there is one, the baseline's report.
 * `baseline` undefined means no baseline at all (the verdict can then be `no-baseline`).
 */
export function evaluateRules(rules: readonly MetricRule[], candidate: unknown, baseline: unknown): Evaluation {
  const metrics = rules.map((rule) => evaluateRule(rule, candidate, baseline));
  const failed = metrics.some((m) => m.status === 'fail');
  const verdict: GateVerdict = failed ? 'fail' : baseline === undefined ? 'no-baseline' : 'pass';
  return { verdict, metrics };
}

function evaluateRule(rule: MetricRule, candidateReport: unknown, baselineReport: unknown): MetricResult {
  const segments = parseJsonPath(rule.path);
  const required = rule.required ?? true;
  const higher = rule.direction === 'higher-is-better';
  const result: MetricResult = {
    label: rule.label ?? rule.path,
    path: rule.path,
    direction: rule.direction,
    required,
    status: 'pass',
    reasons: [],
    ...(rule.threshold !== undefined ? { threshold: rule.threshold } : {}),
  };
  if (rule.maxRegression?.absolute !== undefined) result.maxRegression = { absolute: rule.maxRegression.absolute };
  else if (rule.maxRegression?.relative !== undefined) result.maxRegression = { relative: rule.maxRegression.relative };

  if (baselineReport !== undefined) {
    const b = getAtPath(baselineReport, segments);
    if (!b.found) {
      if (result.maxRegression) result.reasons.push('the baseline has no value for this metric; regression not checked');
    } else {
      const bn = numberOrRaw(b.value);
      if ('n' in bn) result.baseline = bn.n;
      else if (result.maxRegression) result.reasons.push(`the baseline value ${bn.raw} is not a number; regression not checked`);
    }
  } else if (result.maxRegression) {
    result.reasons.push('no baseline; regression not checked');
  }

  const c = getAtPath(candidateReport, segments);
  if (!c.found) {
    result.status = required ? 'fail' : 'missing';
    result.reasons.unshift(required ? `required metric not found in the report at ${rule.path}` : `optional metric not found in the report at ${rule.path}`);
    return result;
  }
  const cn = numberOrRaw(c.value);
  if (!('n' in cn)) {
    result.status = 'fail';
    result.candidateRaw = cn.raw;
    result.reasons.unshift(`value ${cn.raw} is not a number`);
    return result;
  }
  const value = cn.n;
  result.candidate = value;

  if (rule.threshold !== undefined) {
    const ok = higher ? value >= rule.threshold - EPSILON : value <= rule.threshold + EPSILON;
    if (!ok) {
      result.status = 'fail';
      result.reasons.unshift(`${value} is ${higher ? 'below the minimum' : 'above the maximum'} ${rule.threshold}`);
    }
  }

  if (result.baseline !== undefined) {
    const base = result.baseline;
    result.delta = value - base;
    if (result.maxRegression) {
      const allowed = 'absolute' in result.maxRegression ? result.maxRegression.absolute : result.maxRegression.relative * Math.abs(base);
      result.regressionLimit = higher ? base - allowed : base + allowed;
      // How much worse than the baseline the candidate is (negative: better).
      const regression = higher ? base - value : value - base;
      if (regression > allowed + EPSILON * Math.max(1, Math.abs(base))) {
        result.status = 'fail';
        const how = 'absolute' in result.maxRegression ? `${result.maxRegression.absolute}` : `${result.maxRegression.relative * 100}% of ${base}`;
        result.reasons.push(`regressed by ${formatNumber(regression)} against the baseline ${base}; at most ${how} allowed (${higher ? 'minimum' : 'maximum'} ${formatNumber(result.regressionLimit)})`);
      }
    }
  }
  return result;
}

/** A number for people: up to 6 significant digits, no exponent for ordinary values. */
export function formatNumber(n: number | undefined): string {
  if (n === undefined) return '';
  if (Number.isInteger(n)) return String(n);
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e9)) return n.toExponential(4);
  return String(Number(n.toPrecision(6)));
}
