// The 'tomograph/statsd' entry: the statsd span exporter alone, without loading the facade.
export {};
