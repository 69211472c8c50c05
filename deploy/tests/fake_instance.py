"""A stand-in for an API instance's /health/ready, for deploy/tests/upstreams.sh: answers with the status code
written in a file (read at each request, so the test can change it), on the address and port given.

    python3 fake_instance.py ADDRESS PORT STATUS_FILE
"""
import http.server
import sys

address, port, status_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]


class Ready(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open(status_file) as f:
            self.send_response(int(f.read().strip()))
        self.end_headers()

    def log_message(self, *args):
        pass


http.server.HTTPServer((address, port), Ready).serve_forever()
