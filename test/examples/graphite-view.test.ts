// The demo's Graphite view files lines where the statsd daemon (0.9, default settings) would.
import { describe, expect, it } from 'vitest';
import { graphitePath, statsdKey } from '../../examples/graphite-view.js';

describe('graphite view', () => {
  it.each([
    ['test-client-openstack1-0.client-request:2562|ms', 'stats.timers.test-client-openstack1-0.client-request.mean'],
    [
      'nova-api-api-example-com-8774.GET-/servers.start:1|c',
      'stats_counts.nova-api-api-example-com-8774.GET--servers.start',
    ],
    ['queue depth:5|g', 'stats.gauges.queue_depth'],
    ['garbage', '(not a statsd line)'],
  ])('%s is filed under %s', (line, path) => {
    expect(graphitePath(line)).toBe(path);
  });

  it('drops what statsd drops from key names', () => {
    expect(statsdKey('caf_ ünï/x')).toBe('caf__n-x');
  });
});
