"""Run the LTI platform peer on a free port of 127.0.0.1; prints ``PORT <n>`` when it listens.

Environment: TOOL_URL (the site), TOOL_CLIENT_ID, TOOL_DEPLOYMENT_ID."""

import os
import sys
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.peers.lti_platform.settings"

import django  # noqa: E402

django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402

from tests.peers.lti_platform import academy  # noqa: E402


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def main():
    server = make_server("127.0.0.1", 0, get_wsgi_application(), ThreadingServer, QuietHandler)
    academy.STATE["url"] = f"http://127.0.0.1:{server.server_address[1]}"
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
