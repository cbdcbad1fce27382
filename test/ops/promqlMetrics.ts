const keywords = new Set([
  'and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'inf', 'nan',
]);

/**
 * The metric names a PromQL expression selects. Good enough for the queries we
 * write: strings, label matchers, ranges, grouping clauses and Grafana
 * variables are removed first, then every remaining identifier that is not a
 * function call or a keyword is a metric name.
 */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\{?\w+\}?/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const name = match[0];
    const before = stripped[match.index - 1] ?? ' ';
    const after = stripped.slice(match.index + name.length).trimStart();
    if (/[0-9.]/.test(before) || after.startsWith('(') || keywords.has(name.toLowerCase())) continue;
    names.add(name);
  }
  return [...names];
}

/**
 * Series names a /metrics page lets a query select, from its `# TYPE` lines
 * (present even before the first sample): a histogram is queried through its
 * _bucket, _sum and _count series, a summary through itself, _sum and _count.
 */
export function queryableNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const match of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name = '', kind] = match;
    if (kind === 'histogram') {
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
    } else if (kind === 'summary') {
      for (const suffix of ['', '_sum', '_count']) names.add(name + suffix);
    } else {
      names.add(name);
    }
  }
  return names;
}
