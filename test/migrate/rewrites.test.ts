// The codemod's rewrites, input → expected output, one table: what each legacy shape becomes, what is left and
// reported, and that a second run changes nothing.
import { describe, expect, it } from 'vitest';
import { migrateSource } from '../../src/migrate/migrate-source.js';
import { loadTypeScript, type TypeScript } from '../../src/migrate/parse.js';

const ts = (await loadTypeScript()) as TypeScript;

interface Case {
  behaviour: string;
  file: string;
  before: string;
  /** UNCHANGED when the file must stay byte for byte. */
  after: string;
  /** Reports as `line: reason`. */
  left: string[];
}

const UNCHANGED = '(unchanged)';

const CASES: Case[] = [
  {
    behaviour:
      'a pair around an await becomes an async startActiveSpan that hands back the value declared inside; stop becomes span.end() where it was',
    file: 'handler.ts',
    before: `import { annotate, start, stop, tag } from 'tomograph';

// Lists the servers of a tenant.
export async function handle(tenant: string): Promise<number> {
  start('nova api', 'GET /servers', '10.0.0.1', 8774);
  tag('tenant', tenant); // who asked
  const servers = await list();
  annotate('servers listed', { serviceName: 'nova db', duration: 3 });
  stop('GET /servers');
  return servers;
}
declare function list(): Promise<number>;
`,
    after: `import { trace } from '@opentelemetry/api';

const tracer = trace.getTracer('tomograph');

// Lists the servers of a tenant.
export async function handle(tenant: string): Promise<number> {
  const servers = await tracer.startActiveSpan('GET /servers', {
    attributes: { 'service.name': 'nova api', 'tomograph.endpoint.address': '10.0.0.1', 'tomograph.endpoint.port': 8774 },
  }, async (span) => {
    span.setAttribute('tenant', tenant); // who asked
    const servers = await list();
    span.addEvent('servers listed', { 'service.name': 'nova db', 'tomograph.note.duration_ms': 3 });
    span.end();
    return servers;
  });
  return servers;
}
declare function list(): Promise<number>;
`,
    left: [],
  },
  {
    behaviour: 'early returns preceded by stop end the span there and return from the callback, and nested pairs nest',
    file: 'early.ts',
    before: `import { annotate, start, stop } from 'tomograph';

export function early(x: number): number | null {
  start('svc', 'early');
  if (x < 0) {
    stop('early');
    return null;
  }
  start('svc', 'inner', undefined, 12);
  annotate('inner note');
  stop('inner');
  stop('early');
  return x * 2;
}
`,
    after: `import { trace } from '@opentelemetry/api';
import { hostname } from 'node:os';

const tracer = trace.getTracer('tomograph');

export function early(x: number): number | null {
  return tracer.startActiveSpan('early', {
    attributes: { 'service.name': 'svc', 'tomograph.endpoint.address': hostname(), 'tomograph.endpoint.port': 0 },
  }, (span) => {
    if (x < 0) {
      span.end();
      return null;
    }
    tracer.startActiveSpan('inner', {
      attributes: { 'service.name': 'svc', 'tomograph.endpoint.address': hostname(), 'tomograph.endpoint.port': 12 },
    }, (span) => {
      span.addEvent('inner note');
      span.end();
    });
    span.end();
    return x * 2;
  });
}
`,
    left: [],
  },
  {
    behaviour: 'start; try { … } finally { stop } moves into the callback whole, the stop becoming span.end()',
    file: 'finally.ts',
    before: `import { configure, start, stop } from 'tomograph';

export function work(): void {
  start('svc', 'work');
  try {
    run();
  } finally {
    stop('work');
  }
}
declare function run(): void;
export { configure };
`,
    after: `import { configure } from 'tomograph';
import { trace } from '@opentelemetry/api';
import { hostname } from 'node:os';

const tracer = trace.getTracer('tomograph');

export function work(): void {
  tracer.startActiveSpan('work', {
    attributes: { 'service.name': 'svc', 'tomograph.endpoint.address': hostname(), 'tomograph.endpoint.port': 0 },
  }, (span) => {
    try {
      run();
    } finally {
      span.end();
    }
  });
}
declare function run(): void;
export { configure };
`,
    left: [],
  },
  {
    behaviour: 'a try with a catch and other cleanup keeps them, the cleanup before the span ends',
    file: 'catch.ts',
    before: `import { start, stop } from 'tomograph';

export function work(): void {
  start('svc', 'work');
  const a = 1;
  try {
    use(a);
  } catch (error) {
    log(error);
  } finally {
    cleanup();
    stop('work');
  }
}
declare function use(a: number): void;
declare function log(e: unknown): void;
declare function cleanup(): void;
`,
    after: `import { trace } from '@opentelemetry/api';
import { hostname } from 'node:os';

const tracer = trace.getTracer('tomograph');

export function work(): void {
  tracer.startActiveSpan('work', {
    attributes: { 'service.name': 'svc', 'tomograph.endpoint.address': hostname(), 'tomograph.endpoint.port': 0 },
  }, (span) => {
    const a = 1;
    try {
      use(a);
    } catch (error) {
      log(error);
    } finally {
      cleanup();
      span.end();
    }
  });
}
declare function use(a: number): void;
declare function log(e: unknown): void;
declare function cleanup(): void;
`,
    left: [],
  },
  {
    behaviour: 'notes and tags outside a pair, or in a function called later, go to the active span',
    file: 'notes.ts',
    before: `import { annotate, start, stop, tag } from 'tomograph';

export function outside(): void {
  tag('k', 'v');
  annotate('note', { address: '10.0.0.2', port: 99 });
}
export function later(items: string[]): void {
  start('svc', 'loop', '10.0.0.1');
  items.forEach((item) => annotate(item));
  stop('loop');
}
`,
    after: `import { trace } from '@opentelemetry/api';

const tracer = trace.getTracer('tomograph');

export function outside(): void {
  trace.getActiveSpan()?.setAttribute('k', 'v');
  trace.getActiveSpan()?.addEvent('note', { 'tomograph.endpoint.address': '10.0.0.2', 'tomograph.endpoint.port': 99 });
}
export function later(items: string[]): void {
  tracer.startActiveSpan('loop', {
    attributes: { 'service.name': 'svc', 'tomograph.endpoint.address': '10.0.0.1', 'tomograph.endpoint.port': 0 },
  }, (span) => {
    items.forEach((item) => trace.getActiveSpan()?.addEvent(item));
    span.end();
  });
}
`,
    left: [],
  },
  {
    behaviour:
      'CommonJS: a port whose type is not known to be a number is left and reported (a string port the facade records its own way)',
    file: 'worker.cjs',
    before: `const { start, stop, annotate, configure } = require('tomograph');

function work(port) {
  start('svc', 'work', 'db1', port);
  annotate('x');
  stop('work');
}
module.exports = { work, configure };
`,
    after: UNCHANGED,
    left: [
      "4: start('work'): the port port may not be a number (a string port the facade records its own way); rewrite by hand",
    ],
  },
  {
    behaviour: 'calls through a namespace import are rewritten and the namespace import stays',
    file: 'namespace.ts',
    before: `import * as tg from 'tomograph';

export function work(): void {
  tg.start('svc', 'work');
  tg.tag('k', 1);
  tg.stop('work');
}
`,
    after: `import * as tg from 'tomograph';
import { trace } from '@opentelemetry/api';
import { hostname } from 'node:os';

const tracer = trace.getTracer('tomograph');

export function work(): void {
  tracer.startActiveSpan('work', {
    attributes: { 'service.name': 'svc', 'tomograph.endpoint.address': hostname(), 'tomograph.endpoint.port': 0 },
  }, (span) => {
    span.setAttribute('k', 1);
    span.end();
  });
}
`,
    left: [],
  },
  {
    behaviour: 'a local function named start is not the facade',
    file: 'shadow.ts',
    before: `import { stop } from 'tomograph';

function start(a: string, b: string): void {}
export function work(): void {
  start('svc', 'work');
  stop('work');
}
`,
    after: UNCHANGED,
    left: ["6: stop('work') left as it is: its start is elsewhere or is not rewritten"],
  },
  {
    behaviour:
      'unsafe shapes are left as they are and reported: computed name, split pair, leaking return, break, traced around a sync function',
    file: 'leave.ts',
    before: `import { start, stop, traced } from 'tomograph';

export function computed(name: string): void {
  start('svc', name);
  stop(name);
}
export function passed(): () => void {
  start('svc', 'passed');
  return () => stop('passed');
}
export function leaks(x: boolean): void {
  start('svc', 'leaks');
  if (x) return;
  stop('leaks');
}
export function loop(items: number[]): void {
  for (const item of items) {
    start('svc', 'item');
    if (item < 0) break;
    stop('item');
  }
}
export const wrapped = traced('svc', 'wrapped')((x: number) => Promise.resolve(x * 2));
`,
    after: UNCHANGED,
    left: [
      "4: start('svc', name) with a computed span name: its stop cannot be matched",
      '5: stop(name) left as it is: its start is elsewhere or is not rewritten',
      "8: start('passed') has no stop('passed') in the same block (a pair split across blocks or functions)",
      "12: a return between start('leaks') and stop leaves the span open; a rewrite would end it",
      "18: a break between start('item') and stop jumps out of the span",
      '23: traced() on a function that is not async and returns a value that may be a promise (which the facade waited for); rewrite by hand',
    ],
  },
  {
    behaviour: 'a pair where tracer already means something else is left and reported',
    file: 'taken.ts',
    before: `import { start, stop } from 'tomograph';

const tracer = 1;
export function work(): void {
  start('svc', 'work');
  stop('work');
}
`,
    after: UNCHANGED,
    left: ["5: start('work'): the name 'tracer' already means something else here"],
  },
  {
    behaviour: 'a file that does not use tomograph is left byte for byte',
    file: 'plain.js',
    before: `export function start() {}
start('a', 'b');
`,
    after: UNCHANGED,
    left: [],
  },
  {
    behaviour:
      'traced()(async fn) becomes the function with its body in a span; return awaits, so the span ends when the value settles',
    file: 'wrapped.ts',
    before: `import { annotate, traced } from 'tomograph';

export const handle = traced('nova api', 'POST /servers', { address: '10.0.0.1', port: 8774 })(async (name: string) => {
  annotate('creating');
  return create(name);
});

// Called at once: the function literal gets parentheses.
export const once = await traced('svc', 'once')(async () => create('x'))();

declare function create(name: string): Promise<number>;
`,
    after: `import { SpanStatusCode, trace } from '@opentelemetry/api';
import { hostname } from 'node:os';

const tracer = trace.getTracer('tomograph');

export const handle = async (name: string) => {
  return tracer.startActiveSpan('POST /servers', {
    attributes: { 'service.name': 'nova api', 'tomograph.endpoint.address': '10.0.0.1', 'tomograph.endpoint.port': 8774 },
  }, async (span) => {
    try {
      span.addEvent('creating');
      return await create(name);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
};

// Called at once: the function literal gets parentheses.
export const once = await (async () => tracer.startActiveSpan('once', {
  attributes: { 'service.name': 'svc', 'tomograph.endpoint.address': hostname(), 'tomograph.endpoint.port': 0 },
}, async (span) => {
  try {
    return await create('x');
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    span.end();
  }
}))();

declare function create(name: string): Promise<number>;
`,
    left: [],
  },
  {
    behaviour:
      '@traced on methods: the decorator goes, the body is in a span; service null is the class of this at run time',
    file: 'api.ts',
    before: `import { traced } from 'tomograph';

declare function logged(target: unknown, key: string, descriptor: PropertyDescriptor): void;

export class Api {
  @traced(null, 'list servers')
  async list(): Promise<number> {
    return 3;
  }

  @traced('api', 'reset')
  static reset(): void {}

  @traced('api', 'logged')
  @logged
  async logged(): Promise<void> {}
}
`,
    after: `import { traced } from 'tomograph';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { hostname } from 'node:os';

const tracer = trace.getTracer('tomograph');

declare function logged(target: unknown, key: string, descriptor: PropertyDescriptor): void;

export class Api {
  async list(): Promise<number> {
    return tracer.startActiveSpan('list servers', {
      attributes: { 'service.name': this.constructor.name, 'tomograph.endpoint.address': hostname(), 'tomograph.endpoint.port': 0 },
    }, async (span) => {
      try {
        return 3;
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        throw error;
      } finally {
        span.end();
      }
    });
  }

  static reset(): void {
    return tracer.startActiveSpan('reset', {
      attributes: { 'service.name': 'api', 'tomograph.endpoint.address': hostname(), 'tomograph.endpoint.port': 0 },
    }, (span) => {
      span.end();
    });
  }

  @traced('api', 'logged')
  @logged
  async logged(): Promise<void> {}
}
`,
    left: ['34: @traced() above other decorators: the span would wrap what they return'],
  },

  {
    behaviour:
      'getTraceInfo() asks the propagator for the traceparent, and start(…, token) continues the trace through propagation.extract',
    file: 'handoff.js',
    before: `import { getTraceInfo, start, stop } from 'tomograph';

export function enqueue(job) {
  start('queue client', 'enqueue', '10.0.0.3', 0);
  job.token = getTraceInfo();
  stop('enqueue');
}

export function work(job) {
  start('queue worker', 'work', '10.0.0.4', 0, job.token);
  stop('work');
}
`,
    after: `import { context, propagation, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('tomograph');

/** The active span's W3C traceparent, as getTraceInfo() returned it (written by the global propagator: W3C by default). */
function activeTraceparent() {
  const carrier = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

export function enqueue(job) {
  tracer.startActiveSpan('enqueue', {
    attributes: { 'service.name': 'queue client', 'tomograph.endpoint.address': '10.0.0.3', 'tomograph.endpoint.port': 0 },
  }, (span) => {
    job.token = activeTraceparent();
    span.end();
  });
}

export function work(job) {
  tracer.startActiveSpan('work', {
    attributes: { 'service.name': 'queue worker', 'tomograph.endpoint.address': '10.0.0.4', 'tomograph.endpoint.port': 0 },
  }, propagation.extract(context.active(), { traceparent: job.token }), (span) => {
    span.end();
  });
}
`,
    left: [],
  },

  {
    behaviour: 'a start that is not a statement of a block is reported; a comment before a start on its line stays',
    file: 'switch.ts',
    before: `import { start, stop } from 'tomograph';

export function f(kind: number, flag: boolean): void {
  switch (kind) {
    case 1:
      start('svc', 'one');
      stop('one');
      break;
  }
  if (flag) start('svc', 'two');
  /* begin */ start('svc', 'three');
  stop('three');
}
`,
    after: `import { start, stop } from 'tomograph';
import { trace } from '@opentelemetry/api';
import { hostname } from 'node:os';

const tracer = trace.getTracer('tomograph');

export function f(kind: number, flag: boolean): void {
  switch (kind) {
    case 1:
      start('svc', 'one');
      stop('one');
      break;
  }
  if (flag) start('svc', 'two');
  /* begin */ tracer.startActiveSpan('three', {
    attributes: { 'service.name': 'svc', 'tomograph.endpoint.address': hostname(), 'tomograph.endpoint.port': 0 },
  }, (span) => {
    span.end();
  });
}
`,
    left: [
      "10: start('svc', 'one') is not a statement of its own in a block (a switch case, an if without braces, an expression)",
      "14: start('svc', 'two') is not a statement of its own in a block (a switch case, an if without braces, an expression)",
    ],
  },

  {
    behaviour: 'a var declared between the ends and used outside them is reported (moving it would change its scope)',
    file: 'var.ts',
    before: `import { start, stop } from 'tomograph';

export function f(flag: boolean): number {
  if (flag) {
    start('svc', 'v');
    var x = 1;
    stop('v');
  }
  return x;
}
`,
    after: UNCHANGED,
    left: ["5: 'x' is declared between start and stop (var, function or class) and used outside them"],
  },

  {
    behaviour: 'a literal port start() ignored (not an integer from 0 to 65535) is reported, not written',
    file: 'port.ts',
    before: `import { start, stop } from 'tomograph';

export function f(): void {
  start('svc', 'big port', 'host', 70000);
  stop('big port');
}
`,
    after: UNCHANGED,
    left: [
      "4: start('big port'): port 70000 is not an integer from 0 to 65535; the facade records such a port its own way; rewrite by hand",
    ],
  },

  {
    behaviour:
      'code with a multi-line template or string keeps its lines where they were (moving them would change the text)',
    file: 'multiline.ts',
    before: `import { start, stop, traced } from 'tomograph';

export function sql(): string {
  start('svc', 'query');
  const text = \`select *
  from servers\`;
  const old = 'a\\
b';
  stop('query');
  return text + old;
}

export const wrapped = traced('svc', 'wrapped')(async () => {
  return \`line one
line two\`;
});
`,
    after: `import { SpanStatusCode, trace } from '@opentelemetry/api';
import { hostname } from 'node:os';

const tracer = trace.getTracer('tomograph');

export function sql(): string {
  const { text, old } = tracer.startActiveSpan('query', {
    attributes: { 'service.name': 'svc', 'tomograph.endpoint.address': hostname(), 'tomograph.endpoint.port': 0 },
  }, (span) => {
  const text = \`select *
  from servers\`;
  const old = 'a\\
b';
  span.end();
    return { text, old };
  });
  return text + old;
}

export const wrapped = async () => {
  return tracer.startActiveSpan('wrapped', {
    attributes: { 'service.name': 'svc', 'tomograph.endpoint.address': hostname(), 'tomograph.endpoint.port': 0 },
  }, async (span) => {
    try {
  return \`line one
line two\`;
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
};
`,
    left: [],
  },

  {
    behaviour:
      'the tracer is declared after the leading imports, before top-level code that uses it; a later node:os import gains hostname',
    file: 'late.ts',
    before: `import { start, stop } from 'tomograph';

start('svc', 'boot');
stop('boot');

import { hostname as host } from 'node:os';
export const h = host;
`,
    after: `import { trace } from '@opentelemetry/api';

const tracer = trace.getTracer('tomograph');

tracer.startActiveSpan('boot', {
  attributes: { 'service.name': 'svc', 'tomograph.endpoint.address': hostname(), 'tomograph.endpoint.port': 0 },
}, (span) => {
  span.end();
});

import { hostname as host, hostname } from 'node:os';
export const h = host;
`,
    left: [],
  },
];

describe('migrateSource', () => {
  for (const c of CASES) {
    it(c.behaviour, () => {
      const result = migrateSource(ts, c.file, c.before);
      if (!result.ok) throw new Error(result.error);
      expect(result.text).toBe(c.after === UNCHANGED ? c.before : c.after);
      expect(result.changed).toBe(c.after !== UNCHANGED);
      expect(result.reports.map((report) => `${report.line}: ${report.reason}`)).toEqual(c.left);
    });
  }

  it('a second run changes nothing and reports the same places', () => {
    for (const c of CASES) {
      const first = migrateSource(ts, c.file, c.before);
      if (!first.ok) throw new Error(first.error);
      const second = migrateSource(ts, c.file, first.text);
      if (!second.ok) throw new Error(second.error);
      expect(second.changed, c.file).toBe(false);
      expect(second.reports, c.file).toEqual(first.reports);
    }
  });

  it('a file with CRLF line endings keeps them in the lines it writes', () => {
    const before =
      "import { start, stop } from 'tomograph';\r\n\r\nexport function f(): void {\r\n  start('svc', 'f', 'h', 1);\r\n  work();\r\n  stop('f');\r\n}\r\ndeclare function work(): void;\r\n";
    const result = migrateSource(ts, 'crlf.ts', before);
    if (!result.ok) throw new Error(result.error);
    expect(result.changed).toBe(true);
    expect(result.text).toContain("tracer.startActiveSpan('f', {\r\n");
    expect(result.text).not.toMatch(/[^\r]\n/);
  });

  it('with recordExceptions, a rewritten pair records a throw on the span, sets ERROR and ends it', () => {
    const before =
      "import { start, stop } from 'tomograph';\n\nexport function f(): void {\n  start('svc', 'f', 'h', 1);\n  work();\n  stop('f');\n}\ndeclare function work(): void;\n";
    const result = migrateSource(ts, 'record.ts', before, { recordExceptions: true });
    if (!result.ok) throw new Error(result.error);
    expect(result.text).toBe(`import { SpanStatusCode, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('tomograph');

export function f(): void {
  tracer.startActiveSpan('f', {
    attributes: { 'service.name': 'svc', 'tomograph.endpoint.address': 'h', 'tomograph.endpoint.port': 1 },
  }, (span) => {
    try {
      work();
      span.end();
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      span.end();
      throw error;
    }
  });
}
declare function work(): void;
`);
  });

  it('a byte-order mark is kept, and a file that does not name tomograph is not even parsed', () => {
    const before = "\uFEFFimport { start, stop } from 'tomograph';\nstart('svc', 'b', 'h', 1);\nstop('b');\n";
    const result = migrateSource(ts, 'bom.ts', before);
    if (!result.ok) throw new Error(result.error);
    expect(result.text.startsWith("\uFEFFimport { trace } from '@opentelemetry/api';")).toBe(true);
    // Valid JavaScript the compiler refuses (a sloppy-mode octal escape): never reported, as it cannot load tomograph.
    expect(migrateSource(ts, 'octal.js', "var s = '\\101';\nwith (s) {}\n")).toEqual({
      ok: true,
      text: "var s = '\\101';\nwith (s) {}\n",
      changed: false,
      reports: [],
    });
  });

  it('default imports, a require inside a function and re-exports are reported, with the file unchanged', () => {
    const before = `import tg from 'tomograph';
export { stop } from 'tomograph';
export function later(): void {
  const t = require('tomograph');
  t.start('svc', 'x');
  t.stop('x');
  void tg;
}
`;
    const result = migrateSource(ts, 'reached.ts', before);
    if (!result.ok) throw new Error(result.error);
    expect(result.text).toBe(before);
    expect(result.reports.map((report) => `${report.line}: ${report.reason}`)).toEqual([
      '1: a default import of tomograph (tg), which has no default export: calls through it are not rewritten',
      "2: re-exports tomograph: the files that call the facade through this module are not rewritten (they do not name 'tomograph'); migrate them by hand",
      "4: require('tomograph') not in a module-level declaration: calls through it are not rewritten",
    ]);
  });

  it('a file that does not parse is refused with its line, and nothing is returned to write', () => {
    const result = migrateSource(ts, 'broken.ts', "import { start } from 'tomograph';\nstart('svc', 'a'\n");
    expect(result).toEqual({ ok: false, error: "does not parse: line 3: ')' expected." });
  });
});
