// For the demo: where a statsd line ends up in Graphite under the Etsy statsd daemon's default settings
// (legacy namespace), including the daemon's own clean-up of key names. Pure: a line in, paths out.

/** statsd 0.9's key clean-up: whitespace → `_`, `/` → `-`, then anything outside `[A-Za-z0-9_.;=-]` dropped. */
export function statsdKey(name: string): string {
  return name
    .replace(/\s+/g, '_')
    .replace(/\//g, '-')
    .replace(/[^a-zA-Z_\-0-9.;=]/g, '');
}

/** The Graphite path a statsd line is filed under (the mean for a timer, the count for a counter). */
export function graphitePath(line: string): string {
  const match = /^(.*):([^:|]*)\|(ms|c|g|s|h|d)(\|.*)?$/.exec(line);
  if (match === null) return '(not a statsd line)';
  const [, name, , type] = match;
  const key = statsdKey(name!);
  switch (type) {
    case 'ms':
    case 'h':
    case 'd':
      return `stats.timers.${key}.mean`;
    case 'c':
      return `stats_counts.${key}`;
    case 'g':
      return `stats.gauges.${key}`;
    default:
      return `stats.sets.${key}.count`;
  }
}
