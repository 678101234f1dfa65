"""Statements per second through the LRS (``POST /xapi/statements``) under gunicorn on PostgreSQL,
beside a constant DRF endpoint with the same authentication (a learner's token) on the same server.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/learning_lrs_bench .venv/bin/python bench/lrs.py

Targets (issue 12): one statement per POST at least 0.7x the constant endpoint's requests per second;
20 per POST at least 5x the statements per second of one per POST. The set-up (fresh database, seed,
gunicorn, client threads) is bench/api.py's.
"""

import argparse
import base64
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.api import BATCH, fresh_database, measure, seed, start_gunicorn, statement  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="duration of each measurement")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads (learners)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/learning_lrs_bench")
    if not url.startswith("postgres"):
        raise SystemExit("bench/lrs.py measures PostgreSQL: set DATABASE_URL=postgres://…")
    var = Path(tempfile.mkdtemp(prefix="bench-lrs-"))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "LMS_VAR_DIR": str(var),
        "CERTIFICATION_KEY_FILE": str(var / "keys" / "certification.json"),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("CELERY_BROKER_URL", None)
    os.environ.update(env)
    fresh_database(url)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    data = seed(args.clients)
    from lms.statements.clients import create_lrs_client

    client, secret = create_lrs_client(name="Bench", scopes=["statements/write"])
    basic = "Basic " + base64.b64encode(f"{client.key}:{secret}".encode()).decode()
    server, base = start_gunicorn(env, args.workers, wait=600)  # a loaded machine boots slowly
    try:
        iris, origin = data["iris"], data["origin"]
        turn = {"n": 0}

        def next_iri() -> str:
            turn["n"] += 1
            return iris[turn["n"] % len(iris)]

        def one(learner):
            return ("POST", "/xapi/statements", statement(origin, learner["username"], next_iri()), 200)

        def batch(learner):
            body = [statement(origin, learner["username"], next_iri()) for _ in range(BATCH)]
            return ("POST", "/xapi/statements", body, 200)

        measure("warm-up", base, data, 2, lambda learner: ("GET", "/bench/constant/", None, 200))
        # Every worker builds and keeps each course's structure on its first statements: measure after.
        measure("warm-up, statements", base, data, 3, one)

        def constant_request(learner):
            return ("GET", "/bench/constant-lrs/", None, 200)

        constant = measure("constant", base, data, args.seconds, constant_request)
        single = measure("one per POST", base, data, args.seconds, one)
        batched = measure("batch", base, data, args.seconds, batch)
        as_client = {"authorization": lambda learner: basic}
        constant_basic = measure("constant, Basic", base, data, args.seconds, constant_request, **as_client)
        single_basic = measure("one per POST, Basic", base, data, args.seconds, one, **as_client)
        print(f"gunicorn {args.workers} workers, {args.clients} client threads, {args.seconds:.0f} s each, PostgreSQL")
        print(f"constant DRF endpoint (token)      {constant:8.1f} requests/s")
        print(
            f"statements, one per POST           {single:8.1f} requests/s  {single / constant:.2f}x constant (>= 0.7)"
        )
        print(
            f"statements, {BATCH} per POST          {batched:8.1f} requests/s  {batched * BATCH:8.1f} statements/s  "
            f"{batched * BATCH / single:.1f}x one per POST (>= 5)"
        )
        print(f"constant DRF endpoint (LRS Basic)  {constant_basic:8.1f} requests/s")
        print(
            f"statements, one per POST, Basic    {single_basic:8.1f} requests/s  "
            f"{single_basic / constant_basic:.2f}x constant (>= 0.7)"
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
