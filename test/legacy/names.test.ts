// The statsd names of this package beside the original Python tomograph's, byte for byte (timer values aside): the
// same calls replayed by the original (test/fixtures/legacy-original, run by Debian's python3) and by this
// package's facade and traceKnex, each sending to its own UDP socket on loopback, compared case by case.
import { hostname } from 'node:os';
import knexFactory, { type Knex } from 'knex';
import { annotate, configure, start, stop, tag, traced, traceKnex, type Tomograph } from 'tomograph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withBoundary } from '../../src/context/boundary.js';
import { captureUdp, checkPython, runOriginal, withoutTimerValues, type Op, type UdpCapture } from './original.js';

let ours: UdpCapture;
let tomograph: Tomograph;
let db: Knex;

const SEED: Op[] = [
  ['start', 'my service', 'a query', '', 80],
  ['annotate', 'something happened'],
  ['stop', 'a query'],
];

/** The cases, each run by the original in a thread of its own (as a fresh request), all in one Python process. */
const CALLS: [string, Op[]][] = [
  ["the seed's first example: an empty address stays empty", SEED],
  [
    'an empty service name and address',
    [
      ['start', '', 'op', '', 0],
      ['annotate', 'n'],
      ['stop', 'op'],
    ],
  ],
  [
    'a port given as text, as start_http passes it',
    [
      ['start', 'test server', 'WSGI', '127.0.0.1', '8080'],
      ['stop', 'WSGI'],
    ],
  ],
  [
    'a port given as text with a leading zero and spaces',
    [
      ['start', 'svc', 'op', 'h', ' 080 '],
      ['stop', 'op'],
    ],
  ],
  [
    'the README example: client and server, a note and a tag',
    [
      ['start', 'test client', 'client request', 'openstack1', 0],
      ['start', 'test server', 'server response', 'openstack1', 80],
      ['annotate', 'this is an annotation'],
      ['tag', 'this is an int', 42],
      ['stop', 'server response'],
      ['stop', 'client request'],
    ],
  ],
  [
    'notes with their own endpoint, an empty address and a port as text among them',
    [
      ['start', 'nova api', 'GET /servers', 'api.example.com', 8774],
      ['annotate', 'db', { service_name: 'nova db', address: 'db.example.com', port: 3306 }],
      ['annotate', 'cache', { address: '' }],
      ['annotate', 'queue', { port: '5672' }],
      ['annotate', 'timed', { duration: 12 }],
      ['stop', 'GET /servers'],
    ],
  ],
  [
    'a note repeated',
    [
      ['start', 'svc', 'loop', '10.0.0.1', 1],
      ['annotate', 'again'],
      ['annotate', 'again'],
      ['annotate', 'again'],
      ['stop', 'loop'],
    ],
  ],
  [
    'notes and tags with no span open, then a span',
    [
      ['annotate', 'lonely'],
      ['tag', 'k', 'v'],
      ['start', 'svc', 'after', 'h', 2],
      ['stop', 'after'],
    ],
  ],
  [
    'traced, with a host, and with the default host 0.0.0.0 (the machine name)',
    [
      ['traced', 'svc', 'fn', '10.0.0.2', 8080],
      ['traced', 'svc', 'fn', '0.0.0.0', 0],
    ],
  ],
];

/**
 * Where this package differs on purpose (README, "Beside the original Python library"): the calls, what the original
 * sent and raised, and what this package sends.
 */
const DIFFERENCES: [string, Op[], { original: string[]; errors: string[]; ours: string[] }][] = [
  [
    'characters statsd cannot carry: `:` `|` `@` `#` `,` `;`, control characters and non-ASCII become `_`',
    [
      ['start', 'svc', 'op', 'h', 0],
      ['annotate', 'a:b'],
      ['annotate', 'caf\u00e9'],
      ['annotate', 'SELECT 1\nFROM t'],
      ['stop', 'op'],
    ],
    {
      original: [
        'svc-h-0.op:<ms>|ms',
        'svc-h-0.op.start:1|c',
        'svc-h-0.op.a:b:1|c',
        'svc-h-0.op.caf\u00e9:1|c',
        'svc-h-0.op.SELECT-1',
        'FROM-t:1|c',
        'svc-h-0.op.stop:1|c',
      ],
      errors: [],
      ours: [
        'svc-h-0.op:<ms>|ms',
        'svc-h-0.op.start:1|c',
        'svc-h-0.op.a_b:1|c',
        'svc-h-0.op.caf_:1|c',
        'svc-h-0.op.SELECT-1_FROM-t:1|c',
        'svc-h-0.op.stop:1|c',
      ],
    },
  ],
  [
    'a stop of a span below the top ends that span only (the one above waits for its own stop); the original raised and sent neither',
    [
      ['start', 'svc', 'a', 'h', 0],
      ['start', 'svc', 'b', 'h', 0],
      ['stop', 'a'],
    ],
    {
      original: [],
      errors: ['stop: AssertionError'],
      ours: ['svc-h-0.a:<ms>|ms', 'svc-h-0.a.start:1|c', 'svc-h-0.a.stop:1|c'],
    },
  ],
  [
    'a stop of a name not open ends nothing; the original raised, lost the top span, and failed the next stop',
    [
      ['start', 'svc', 'a', 'h', 0],
      ['stop', 'zzz'],
      ['stop', 'a'],
    ],
    {
      original: [],
      errors: ['stop: AssertionError', 'stop: IndexError'],
      ours: ['svc-h-0.a:<ms>|ms', 'svc-h-0.a.start:1|c', 'svc-h-0.a.stop:1|c'],
    },
  ],
  [
    'a port outside 0-65535 is recorded as 0 (and reported)',
    [
      ['start', 'svc', 'op', 'h', 70000],
      ['stop', 'op'],
    ],
    {
      original: ['svc-h-70000.op:<ms>|ms', 'svc-h-70000.op.start:1|c', 'svc-h-70000.op.stop:1|c'],
      errors: [],
      ours: ['svc-h-0.op:<ms>|ms', 'svc-h-0.op.start:1|c', 'svc-h-0.op.stop:1|c'],
    },
  ],
];

const request = (...statements: string[]): Op[] => [
  ['start', 'nova api', 'GET /servers', '10.0.0.1', 8774],
  ...statements.map((sql): Op => ['sql', sql]),
  ['stop', 'GET /servers'],
];
const SQL: [string, { program: Op[]; asSpans: boolean }][] = [
  [
    'notes mode: each statement noted on the current span, under its endpoint, before and after execution',
    { program: request('SELECT 1', 'SELECT 2 AS two'), asSpans: false },
  ],
  [
    'notes mode: a statement with no span open sends nothing',
    { program: [['sql', 'SELECT 3'], ...request()], asSpans: false },
  ],
  [
    "as spans (db_trace_as_spans): an `execute` span of '<name>db client' at the database's endpoint, and a root one outside any span",
    { program: [...request('SELECT 1'), ['sql', 'SELECT 4']], asSpans: true },
  ],
];

/** What the original sent and raised, per case name. */
const original = new Map<string, { lines: string[]; errors: string[] }>();

beforeAll(async () => {
  checkPython();
  const theirs = await captureUdp();
  try {
    const calls = [...CALLS, ...DIFFERENCES].map(([name, program]) => [name, { program }] as const);
    for (const [mode, cases] of [
      ['calls', calls],
      ['sql', SQL],
    ] as const) {
      const runs = await runOriginal(
        mode,
        theirs.port,
        cases.map(([, c]) => c),
      );
      const lines = await theirs.takeCases(cases.length);
      cases.forEach(([name], i) =>
        original.set(name, { lines: withoutTimerValues(lines[i] ?? []), errors: runs[i]?.errors ?? ['no run'] }),
      );
    }
  } finally {
    await theirs.close();
  }
  ours = await captureUdp();
  tomograph = configure({ backends: ['statsd'], statsd: { host: '127.0.0.1', port: ours.port } });
  db = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
    pool: { min: 1, max: 1 },
  });
}, 120_000);
afterAll(async () => {
  await db?.destroy();
  await tomograph?.shutdown();
  await ours?.close();
});

/** Replays the calls through this package, as the runner replays them through the original. */
async function replay(ops: readonly Op[]): Promise<void> {
  for (const op of ops) {
    switch (op[0]) {
      case 'start':
        start(op[1], op[2], op[3], op[4]);
        break;
      case 'stop':
        stop(op[1]);
        break;
      case 'annotate': {
        const given = op[2] ?? {};
        annotate(op[1], {
          ...(given.service_name !== undefined && { serviceName: given.service_name }),
          ...(given.address !== undefined && { address: given.address }),
          ...(given.port !== undefined && { port: given.port }),
          ...(given.duration !== undefined && { duration: given.duration }),
        });
        break;
      }
      case 'tag':
        tag(op[1], op[2]);
        break;
      case 'traced':
        traced(op[1], op[2], { address: op[3], port: op[4] })(() => undefined)();
        break;
      case 'sql':
        await db.raw(op[1]);
        break;
    }
  }
}

/** The original's lines for case `name` and ours for the same calls, timer values masked. */
async function bothSides(
  name: string,
  ops: readonly Op[],
  sql?: { asSpans: boolean },
  ourCount?: number,
): Promise<{ original: string[]; ours: string[]; errors: string[] }> {
  const theirs = original.get(name);
  if (theirs === undefined) throw new Error(`the original did not run '${name}'`);
  const tracing = sql === undefined ? undefined : traceKnex(db, { name: 'nova', asSpans: sql.asSpans });
  try {
    // A boundary of its own, as the original ran each case in a thread of its own: a span left open stays there.
    await withBoundary(() => replay(ops));
  } finally {
    tracing?.detach();
  }
  await tomograph.forceFlush();
  const count = ourCount ?? theirs.lines.length;
  const lines = withoutTimerValues(await ours.take(count > 0 ? count : undefined));
  return { original: theirs.lines, ours: lines, errors: theirs.errors };
}

describe('statsd names beside the original, for every call it accepted', () => {
  it("the seed's first example: an empty address stays empty", async () => {
    const [name, ops] = CALLS[0]!;
    const { original: theirs, ours: lines, errors } = await bothSides(name, ops);
    expect(errors).toEqual([]);
    expect(theirs).toEqual([
      'my-service--80.a-query:<ms>|ms',
      'my-service--80.a-query.start:1|c',
      'my-service--80.a-query.something-happened:1|c',
      'my-service--80.a-query.stop:1|c',
    ]);
    expect(lines).toEqual(theirs);
  });

  it.each(CALLS.slice(1))('%s', async (name, ops) => {
    const { original: theirs, ours: lines, errors } = await bothSides(name, ops);
    expect(errors).toEqual([]);
    expect(theirs.length).toBeGreaterThan(0);
    expect(lines).toEqual(theirs);
  });

  it('the default host of traced is the machine name', async () => {
    const { ours: lines } = await bothSides(CALLS[8]![0], CALLS[8]![1]);
    expect(lines[3]).toBe(`svc-${hostname().replaceAll('.', '-')}-0.fn:<ms>|ms`);
  });
});

describe('SQL names beside the original listeners (SQLAlchemy 1.4, SQLite)', () => {
  it(SQL[0]![0], async () => {
    const [name, { program, asSpans }] = SQL[0]!;
    const { original: theirs, ours: lines, errors } = await bothSides(name, program, { asSpans });
    expect(errors).toEqual([]);
    expect(theirs).toEqual([
      'nova-api-10-0-0-1-8774.GET-/servers:<ms>|ms',
      'nova-api-10-0-0-1-8774.GET-/servers.start:1|c',
      'nova-api-10-0-0-1-8774.GET-/servers.SELECT-1:1|c',
      'nova-api-10-0-0-1-8774.GET-/servers.SELECT-1:1|c',
      'nova-api-10-0-0-1-8774.GET-/servers.SELECT-2-AS-two:1|c',
      'nova-api-10-0-0-1-8774.GET-/servers.SELECT-2-AS-two:1|c',
      'nova-api-10-0-0-1-8774.GET-/servers.stop:1|c',
    ]);
    expect(lines).toEqual(theirs);
  });

  it(SQL[1]![0], async () => {
    const [name, { program, asSpans }] = SQL[1]!;
    const { original: theirs, ours: lines } = await bothSides(name, program, { asSpans });
    expect(theirs).toHaveLength(3);
    expect(lines).toEqual(theirs);
  });

  it(SQL[2]![0], async () => {
    const [name, { program, asSpans }] = SQL[2]!;
    const { original: theirs, ours: lines, errors } = await bothSides(name, program, { asSpans });
    expect(errors).toEqual([]);
    expect(theirs).toEqual([
      'novadb-client-127-0-0-1-0.execute:<ms>|ms',
      'novadb-client-127-0-0-1-0.execute.start:1|c',
      'novadb-client-127-0-0-1-0.execute.SELECT-1:1|c',
      'novadb-client-127-0-0-1-0.execute.SELECT-1:1|c',
      'novadb-client-127-0-0-1-0.execute.stop:1|c',
      'nova-api-10-0-0-1-8774.GET-/servers:<ms>|ms',
      'nova-api-10-0-0-1-8774.GET-/servers.start:1|c',
      'nova-api-10-0-0-1-8774.GET-/servers.stop:1|c',
      'novadb-client-127-0-0-1-0.execute:<ms>|ms',
      'novadb-client-127-0-0-1-0.execute.start:1|c',
      'novadb-client-127-0-0-1-0.execute.SELECT-4:1|c',
      'novadb-client-127-0-0-1-0.execute.SELECT-4:1|c',
      'novadb-client-127-0-0-1-0.execute.stop:1|c',
    ]);
    expect(lines).toEqual(theirs);
  });
});

describe("where this package differs on purpose, each with the original's lines beside ours", () => {
  it.each(DIFFERENCES)('%s', async (name, ops, expected) => {
    const { original: theirs, ours: lines, errors } = await bothSides(name, ops, undefined, expected.ours.length);
    expect({ original: theirs, errors, ours: lines }).toEqual(expected);
  });
});
