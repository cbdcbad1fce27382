import type { RouteResult } from '../rest/route.js';

interface Bucket {
  hash: string;
  limit: number;
  windowMs: number;
  hits: number[];
}

export interface RateLimitDecision {
  headers: Record<string, string>;
  refused?: RouteResult;
}

/**
 * Per-route buckets as Discord runs them: a sliding window per major
 * parameter (webhook, channel), X-RateLimit-* headers on every answer, and a
 * 429 with retry_after (seconds) when a bucket is empty.
 */
export class RateLimits {
  private readonly buckets = new Map<string, Bucket>();
  readonly refusals: Array<{ key: string; at: number }> = [];
  enabled = true;

  check(method: string, path: string, now = Date.now()): RateLimitDecision {
    const rule = ruleFor(method, path);
    if (!rule) return { headers: {} };
    let bucket = this.buckets.get(rule.key);
    if (!bucket) {
      bucket = { hash: `b${this.buckets.size.toString(16).padStart(6, '0')}`, limit: rule.limit, windowMs: rule.windowMs, hits: [] };
      this.buckets.set(rule.key, bucket);
    }
    bucket.hits = bucket.hits.filter((at) => at > now - bucket!.windowMs);
    const resetAfterMs = bucket.hits.length > 0 ? bucket.hits[0]! + bucket.windowMs - now : bucket.windowMs;
    const headers = (remaining: number) => ({
      'x-ratelimit-limit': String(bucket!.limit),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': ((now + resetAfterMs) / 1000).toFixed(3),
      'x-ratelimit-reset-after': (resetAfterMs / 1000).toFixed(3),
      'x-ratelimit-bucket': bucket!.hash,
    });
    if (this.enabled && bucket.hits.length >= bucket.limit) {
      this.refusals.push({ key: rule.key, at: now });
      return { headers: { ...headers(0), 'retry-after': String(Math.ceil(resetAfterMs / 1000)), 'x-ratelimit-scope': 'user' }, refused: { status: 429, body: { message: 'You are being rate limited.', retry_after: Number((resetAfterMs / 1000).toFixed(3)), global: false } } };
    }
    bucket.hits.push(now);
    return { headers: headers(bucket.limit - bucket.hits.length) };
  }
}

/** Webhooks: 5 per 2 s per webhook (executes and edits alike); channel messages: 5 per 5 s per channel and verb. */
function ruleFor(method: string, path: string): { key: string; limit: number; windowMs: number } | undefined {
  if (path.startsWith('/interactions/')) return undefined;
  const webhook = /^\/webhooks\/(\d+)\/([^/]+)/.exec(path);
  if (webhook) return { key: `webhook:${webhook[1]}:${webhook[2]}`, limit: 5, windowMs: 2_000 };
  const message = /^\/channels\/(\d+)\/messages(?:\/\d+)?$/.exec(path);
  if (message && method !== 'GET') return { key: `channel:${message[1]}:${method}`, limit: 5, windowMs: 5_000 };
  return { key: `${method}:${path.replace(/\d{5,}/g, ':id')}`, limit: 50, windowMs: 1_000 };
}
