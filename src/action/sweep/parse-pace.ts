import { GITHUB_CONTENT_LIMITS, type PaceLimits } from '../../core/sweep/index.ts';

const EXAMPLE = 'write it like "80/minute, 500/hour, 1000ms"';

/**
 * The `sweep-pace` input: how fast a sweep job may create content on GitHub, as `<n>/minute`, `<n>/hour` and the
 * least gap between two writes (`<n>ms` or `<n>s`), separated by commas or spaces. Each part is optional and
 * defaults to GitHub's public limits (80 a minute, 500 an hour, 1 s apart). A GitHub Enterprise Server with other
 * limits, or a repository shared with other automation, sets its own. Returns the limits, or a sentence saying
 * what could not be read.
 */
export function parsePace(text: string): { ok: true; limits: PaceLimits } | { ok: false; message: string } {
  const limits: PaceLimits = { ...GITHUB_CONTENT_LIMITS };
  const parts = text.split(/[\s,]+/).filter((p) => p !== '');
  const seen = new Set<string>();
  for (const part of parts) {
    const match = /^(\d+(?:\.\d+)?)(\/minute|\/min|\/hour|\/h|ms|s)$/i.exec(part);
    const unit = match?.[2]?.toLowerCase();
    const value = Number(match?.[1]);
    if (match === null || unit === undefined || !Number.isFinite(value)) {
      return { ok: false, message: `sweep-pace: cannot read "${part}"; ${EXAMPLE}` };
    }
    const key =
      unit === '/minute' || unit === '/min'
        ? 'per_minute'
        : unit === '/hour' || unit === '/h'
          ? 'per_hour'
          : 'min_gap_ms';
    if (seen.has(key)) return { ok: false, message: `sweep-pace: "${part}" sets ${key} a second time` };
    seen.add(key);
    if (key !== 'min_gap_ms' && (value < 1 || !Number.isInteger(value))) {
      return { ok: false, message: `sweep-pace: "${part}" must be a whole number of requests, at least 1` };
    }
    limits[key] = key === 'min_gap_ms' && unit === 's' ? value * 1000 : value;
  }
  return { ok: true, limits };
}
