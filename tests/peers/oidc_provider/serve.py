"""Run the provider peer: migrate, create the user and client from the environment, serve on a free port.

Environment: PEER_DB, PEER_RSA_PRIVATE_KEY, PEER_CLIENT_ID, PEER_CLIENT_SECRET, PEER_REDIRECT_URI,
PEER_POST_LOGOUT_URI, PEER_USERNAME, PEER_PASSWORD. Prints ``PORT <n>`` once it accepts requests."""

import os
import sys
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.peers.oidc_provider.settings"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from oauth2_provider.models import get_application_model  # noqa: E402


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def main():
    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user(
        os.environ["PEER_USERNAME"],
        email="nusrat.jahan@mopa.gov.bd",
        password=os.environ["PEER_PASSWORD"],
        first_name="Nusrat",
        last_name="Jahan",
    )
    get_application_model().objects.create(
        name="Learning site",
        user=user,
        client_id=os.environ["PEER_CLIENT_ID"],
        client_secret=os.environ["PEER_CLIENT_SECRET"],
        client_type="confidential",
        authorization_grant_type="authorization-code",
        redirect_uris=os.environ["PEER_REDIRECT_URI"],
        post_logout_redirect_uris=os.environ.get("PEER_POST_LOGOUT_URI", ""),
        algorithm="RS256",
        skip_authorization=True,
    )
    server = make_server("127.0.0.1", 0, get_wsgi_application(), ThreadingServer, QuietHandler)
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
