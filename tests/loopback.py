"""A local HTTP server for the tests that download (never the network).

    with serve(respond) as base:      # base = "http://127.0.0.1:PORT"
        ...

`respond(path, request_headers) -> (status, headers, body)` decides each answer and may sleep
first. The body is sent with a Content-Length unless the headers give one or hold 'X-No-Length'
(HTTP/1.0: such a body ends when the connection closes); a client that hung up is ignored.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@contextmanager
def serve(respond):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def do_GET(self):
            status, headers, body = respond(self.path, self.headers)
            try:
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                if "Content-Length" not in headers and not headers.get("X-No-Length"):
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
