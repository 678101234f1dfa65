"""``runserver`` that says so when the site's address names another host or port than it serves.

Certificates issued while the two differ carry a QR code and a DID that open somewhere else, so the
development server warns at start (``make serve`` derives the address from ``HOST``; docs/site.md).
"""

from django.contrib.staticfiles.management.commands.runserver import Command as StaticfilesRunserver

from foundation.site_address import site_host_and_port, site_url

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
EVERY_ADDRESS = {"0", "0.0.0.0", "::"}  # noqa: S104  (names compared, nothing bound)


def address_mismatch(*, served_host: str, served_port: int) -> str | None:
    """Why the configured address differs from the one being served, or None when they agree."""
    host, port = site_host_and_port()
    same_host = served_host in EVERY_ADDRESS or host == served_host or (host in LOOPBACK and served_host in LOOPBACK)
    if same_host and port == served_port:
        return None
    return (
        f"The site's address is {site_url()} (LEARNING_SITE_URL) but this server answers at "
        f"{served_host}:{served_port}: certificate QR codes, the issuer DID, wallet offers and emails "
        f"will point at {site_url()}. Start it with `make serve HOST={served_host}:{served_port}` or set "
        "LEARNING_SITE_URL to match."
    )


class Command(StaticfilesRunserver):
    def on_bind(self, server_port):
        super().on_bind(server_port)
        problem = address_mismatch(served_host=self.addr, served_port=int(server_port))
        if problem:
            self.stderr.write(self.style.WARNING(f"WARNING: {problem}"))
