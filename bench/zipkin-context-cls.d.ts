// zipkin-context-cls ships no types; what the zipkin-js benchmark uses of it.
declare module 'zipkin-context-cls' {
  import type { Context, TraceId } from 'zipkin';
  export default class CLSContext implements Context<TraceId> {
    constructor(namespace?: string, supportAsyncAwait?: boolean);
    setContext(ctx: TraceId): void;
    getContext(): TraceId;
    scoped<V>(callback: () => V): V;
    letContext<V>(ctx: TraceId, callback: () => V): V;
  }
}
