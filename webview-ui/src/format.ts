/// <reference lib="dom" />

export function formatCost(usd: number): string {
  return `$${usd.toFixed(4)}`;
}

export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

// toLocaleTimeString builds a formatter per call, which dominated timeline appends.
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

export function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : timeFormat.format(d);
}

/** A trend's value in its unit. */
export function formatTrendValue(value: number, unit: 'usd' | 'count' | 'ms' | 'ratio'): string {
  switch (unit) {
    case 'usd':
      return formatCost(value);
    case 'count':
      return value.toFixed(value >= 10 ? 0 : 1);
    case 'ms':
      return formatDuration(Math.round(value));
    case 'ratio':
      return `${Math.round(value * 100)}%`;
  }
}
