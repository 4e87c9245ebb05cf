# Runs the original Python tomograph (test/fixtures/legacy-original, unmodified) for the tests that compare it
# with this package. The fixture is Python 2 code: under Python 3 it needs the four lines of its python3.diff,
# applied here to a copy in a temporary directory, never to the fixture. Python 2 runs the copy as it is.
#
#   run-original.py calls   < {"statsdPort": n, "cases": [{"program": [op, ...]}, ...]}
#       the facade calls of each case, statsd to n, then a datagram CASE_END
#   run-original.py sql     < {"statsdPort": n, "name": s, "cases": [{"asSpans": b, "program": [op, ...]}, ...]}
#       the same through the SQLAlchemy listeners
# Each case runs in a thread of its own, as a fresh request would: the original keeps its span stack per thread
# (an orphan note leaves a span on it for good). Prints {"runs": [{"errors": [...], "spans": [...]}, ...]}.
#   run-original.py server  < {"statsdPort": n, "serviceName": s, "name": s}
#       a WSGI server behind the original's Middleware on a free loopback port; prints {"port": n} and serves
#       until stdin closes. GET /spans: the spans sent so far; GET /call?port=n[&protocol=p]: calls
#       127.0.0.1:n/ with the original's add_trace_info_header (pickle protocol p, else the interpreter's default).
# Each op is [call, args...]: ["start", service, name, address, port], ["stop", name], ["annotate", value, kwargs],
# ["tag", key, value], ["traced", service, name, host, port], ["sql", statement].
from __future__ import print_function

import json
import os
import shutil
import struct
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, '..', 'fixtures', 'legacy-original', 'tomograph')

# python3.diff, as (file, line as published, line for Python 3). Each must match exactly once.
PYTHON3_CHANGES = [
    ('tomograph/__init__.py',
     "eventlet_sys = eventlet.import_patched('sys')",
     "eventlet_sys = sys  # py3: import_patched('sys') yields a sys without stdout"),
    ('tomograph/backends/statsd/__init__.py', 'from statsd import *', 'from .statsd import *'),
    ('tomograph/backends/statsd/statsd.py', 'udp_socket.sendto(stat,', "udp_socket.sendto(stat.encode('utf-8'),"),
    ('tomograph/tomograph.py', 'random.randrange(sys.maxint >> 10)', 'random.randrange(sys.maxsize >> 10)'),
]

RECORDER = '''
import struct
spans = []

def encodable(value):
    # What the original's Zipkin backend does with an id: Thrift i64, i.e. struct.pack('!q').
    if value is None:
        return True
    try:
        struct.pack('!q', value)
        return True
    except Exception:
        return False

def send(span):
    spans.append({
        'traceId': str(span.trace_id), 'parentId': None if span.parent_id is None else str(span.parent_id),
        'id': str(span.id), 'name': span.name,
        'encodable': encodable(span.trace_id) and encodable(span.parent_id) and encodable(span.id),
    })
'''


def load_original():
    root = tempfile.mkdtemp(prefix='tomograph-original-')
    shutil.copytree(FIXTURE, os.path.join(root, 'tomograph'), copy_function=shutil.copyfile) \
        if sys.version_info[0] >= 3 else shutil.copytree(FIXTURE, os.path.join(root, 'tomograph'))
    if sys.version_info[0] >= 3:
        for path, published, changed in PYTHON3_CHANGES:
            full = os.path.join(root, path)
            with open(full) as f:
                text = f.read()
            if text.count(published) != 1:
                raise RuntimeError('python3.diff no longer applies to ' + path)
            with open(full, 'w') as f:
                f.write(text.replace(published, changed))
    with open(os.path.join(root, 'legacy_recorder.py'), 'w') as f:
        f.write(RECORDER)
    sys.path.insert(0, root)
    import tomograph
    from tomograph import config
    return root, tomograph, config


def run_ops(tomograph, program, extra=None):
    errors = []
    for op in program:
        call, args = op[0], op[1:]
        try:
            if call == 'start':
                tomograph.start(*args)
            elif call == 'stop':
                tomograph.stop(*args)
            elif call == 'annotate':
                tomograph.annotate(args[0], **(args[1] if len(args) > 1 else {}))
            elif call == 'tag':
                tomograph.tag(*args)
            elif call == 'traced':
                tomograph.traced(*args)(lambda: None)()
            elif extra is not None and extra(call, args):
                pass
            else:
                raise RuntimeError('unknown op ' + call)
        except Exception as error:  # the original raised (e.g. AssertionError on a misnested stop)
            errors.append('%s: %s' % (call, type(error).__name__))
    return errors


CASE_END = b'#case-end'


def run_cases(cases, run_case, config, recorder):
    import socket
    import threading
    marker = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    runs = []
    for case in cases:
        result = {}
        del recorder.spans[:]

        def body():
            result['errors'] = run_case(case)
        thread = threading.Thread(target=body)
        thread.start()
        thread.join()
        runs.append({'errors': result.get('errors', ['case: crashed']), 'spans': list(recorder.spans)})
        marker.sendto(CASE_END, ('127.0.0.1', config.statsd_port))
    print(json.dumps({'runs': runs}))


def main():
    mode = sys.argv[1]
    request = json.loads(sys.stdin.readline())
    root, tomograph, config = load_original()
    try:
        config.statsd_host = '127.0.0.1'
        config.statsd_port = request['statsdPort']
        config.set_backends(['tomograph.backends.statsd', 'legacy_recorder'])
        import legacy_recorder
        if mode == 'calls':
            run_cases(request['cases'], lambda case: run_ops(tomograph, case['program']), config, legacy_recorder)
        elif mode == 'sql':
            run_sql(tomograph, config, request, legacy_recorder)
        elif mode == 'server':
            serve(tomograph, request, legacy_recorder)
        else:
            raise RuntimeError('unknown mode ' + mode)
    finally:
        shutil.rmtree(root, ignore_errors=True)


class ConnectionAsMySQLdb(object):
    """An sqlite3 connection that answers the two questions the original's before_execute asks of a DBAPI
    connection: str() in MySQLdb's form, with the host between quotes, and .port (sqlite3 has neither; with
    it bare, the original's listeners raise AttributeError on every statement)."""

    def __init__(self, connection, host, port):
        object.__setattr__(self, '_connection', connection)
        object.__setattr__(self, 'port', port)
        object.__setattr__(self, '_host', host)

    def __str__(self):
        return "<_mysql.connection open to '%s' at %x>" % (self._host, id(self))

    def __getattr__(self, name):
        return getattr(self._connection, name)

    def __setattr__(self, name, value):
        setattr(self._connection, name, value)


def run_sql(tomograph, config, request, recorder):
    import sqlite3
    import warnings
    warnings.simplefilter('ignore')
    import sqlalchemy
    from sqlalchemy import event, text

    engine = sqlalchemy.create_engine(
        'sqlite://', creator=lambda: ConnectionAsMySQLdb(sqlite3.connect(':memory:'), '127.0.0.1', 0))
    event.listen(engine, 'before_execute', tomograph.before_execute(request['name']))
    event.listen(engine, 'after_execute', tomograph.after_execute(request['name']))
    # dbapi_error: an SQLAlchemy 0.x event, gone since SQLAlchemy 1.4; the listener cannot be attached here.

    def run_case(case):
        config.db_trace_as_spans = case['asSpans']
        with engine.connect() as connection:
            def extra(call, args):
                if call != 'sql':
                    return False
                connection.execute(text(args[0]))
                return True
            return run_ops(tomograph, case['program'], extra)
    run_cases(request['cases'], run_case, config, recorder)


def serve(tomograph, request, recorder):
    import pickle
    import threading
    from wsgiref.simple_server import WSGIRequestHandler, make_server
    try:
        from urllib.request import Request, urlopen
        from urllib.parse import parse_qs
    except ImportError:  # Python 2
        from urllib2 import Request, urlopen
        from urlparse import parse_qs

    # Another interpreter's default protocol (0 on Python 2, 3 on Python 3.0-3.7): what its add_trace_info_header
    # would write. The original calls pickle.dumps(trace_info) with no protocol; this stands in for the module.
    class PickleAt(object):
        protocol = None
        loads = staticmethod(pickle.loads)

        @staticmethod
        def dumps(value):
            if PickleAt.protocol is None:
                return pickle.dumps(value)
            return pickle.dumps(value, PickleAt.protocol)
    tomograph.tomograph.pickle = PickleAt

    def app(environ, start_response):
        path = environ.get('PATH_INFO', '/')
        status, body = '200 OK', b'ok'
        if path == '/spans':
            body = json.dumps(recorder.spans).encode('utf-8')
        elif path == '/call':
            query = parse_qs(environ.get('QUERY_STRING', ''))
            port = query['port'][0]
            PickleAt.protocol = int(query['protocol'][0]) if 'protocol' in query else None
            headers = {}
            tomograph.add_trace_info_header(headers)
            sent = headers.get('X-Trace-Info')
            if isinstance(sent, bytes):
                sent = sent.decode('ascii')
            answer = urlopen(Request('http://127.0.0.1:%s/' % port, headers={'X-Trace-Info': sent}))
            body = json.dumps({'status': answer.getcode(), 'sent': sent}).encode('utf-8')
        start_response(status, [('Content-Type', 'text/plain'), ('Content-Length', str(len(body)))])
        return [body]

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = make_server('127.0.0.1', 0, tomograph.Middleware(app, service_name=request['serviceName'],
                                                               name=request['name']), handler_class=Quiet)
    thread = threading.Thread(target=server.serve_forever)
    thread.daemon = True
    thread.start()
    print(json.dumps({'port': server.server_port}))
    sys.stdout.flush()
    sys.stdin.read()  # until the test closes stdin (or ends)
    server.shutdown()


if __name__ == '__main__':
    main()
