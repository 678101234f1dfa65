"""How fast certificates are issued and verified, beside a baseline measured in the same run.

    .venv/bin/python bench/certificates.py [--n 10] [--verify 40]

Builds a throw-away site (the demo seed, SQLite) in a temporary folder (in /dev/shm when there is
one, so that this shared machine's disk latency is not what is measured), then prints:
- issuing: certificates per second end to end (status bit, compose, sign, verify, QR, render, badge,
  store) for a Latin-script course (xhtml2pdf) and a Bengali one (WeasyPrint), beside the same
  renderer alone on the same certificate page (QR included), the two interleaved one by one; target:
  at least 0.77x;
- verifying: the same credentials verified by the verification service and by Digital Bazaar's
  @digitalbazaar/vc under Node (tests/certification/digitalbazaar_verify.mjs, its time measured
  inside Node after start-up, revocation status included on both sides); target: at least 1.5x.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VERIFIER = ROOT / "tests" / "certification" / "digitalbazaar_verify.mjs"


def timed(function, count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        function()
    return time.perf_counter() - started


def setup(workdir: Path) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "learning_site.settings.dev",
            "LMS_VAR_DIR": str(workdir),
            "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    with open(os.devnull, "w") as devnull:
        call_command("migrate", verbosity=0, stdout=devnull)
        call_command("seed_demo", stdout=devnull, stderr=devnull)
    from django.conf import settings

    settings.DEBUG = False  # from here on as a worker runs: with DEBUG on, Django logs every query


def completed_enrolments(course, name: str, count: int, tag: str) -> list:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from lms.models import Enrolment, EnrolmentStatus

    first, last = name.split(" ", 1)
    enrolments = []
    for i in range(count):
        user = get_user_model().objects.create(
            username=f"bench-{tag}-{i}", first_name=first, last_name=last, email=f"{tag}{i}@example.gov.bd"
        )
        enrolments.append(
            Enrolment.objects.create(
                user=user,
                course=course,
                status=EnrolmentStatus.COMPLETED,
                progress_percent=100,
                completed_at=timezone.now(),
            )
        )
    return enrolments


def same_page(certificate):
    """The HTML of ``certificate`` exactly as issuance rendered it, with its real QR code."""
    from certification import rendering
    from certification.addresses import verify_url
    from certification.paper_qr import paper_qr

    content = rendering.CertificateContent(
        certificate_id=str(certificate.pk),
        recipient_name=certificate.recipient_name,
        course_title=certificate.course_title,
        credit_hours=certificate.credit_hours,
        accrediting_body=certificate.accrediting_body_name,
        issuer_name=certificate.issuer.name,
        completed_at=certificate.completed_at,
        issued_at=certificate.issued_at,
        valid_until=certificate.valid_until,
        language=certificate.language,
        verify_url=verify_url(certificate.pk),
    )
    qr = paper_qr(content.verify_url, certificate.credential.encode())
    renderer = (
        rendering.render_pdf_weasyprint
        if rendering.renderer_for(content) == "weasyprint"
        else rendering.render_pdf_xhtml2pdf
    )
    return rendering.render_html(content, qr_image=rendering.qr_data_uri(qr.code)), renderer, qr


def bench_issuing(n: int) -> list:
    """Issuing and the renderer alone, interleaved (one certificate, then one rendering of the page,
    n times), so that a burst of load on this shared machine falls on both sides alike."""
    from certification.services import issue_certificate
    from courses.models import CoursePage

    courses = {
        "Latin (xhtml2pdf)": ("digital-governance-foundations", "en", "Nusrat Jahan"),
        "Bengali (WeasyPrint)": ("online-public-services", "bn", "রহিম উদ্দিন"),
    }
    print(f"{'issuing, per second':<24}{'end to end':>12}{'renderer alone':>16}{'ratio':>8}{'QR':>6}")
    issued = []
    for tag, (label, (slug, language, name)) in enumerate(courses.items()):
        course = CoursePage.objects.get(slug=slug, locale__language_code=language)
        warm, *enrolments = completed_enrolments(course, name, n + 1, f"s{tag}")
        html, renderer, qr = same_page(issue_certificate(enrolment=warm))  # templates, fonts, contexts loaded once
        renderer(html)
        end_to_end = alone = 0.0
        for enrolment in enrolments:
            end_to_end += timed(lambda enrolment=enrolment: issued.append(issue_certificate(enrolment=enrolment)), 1)
            alone += timed(lambda html=html, renderer=renderer: renderer(html), 1)
        ratio = alone / end_to_end
        print(
            f"{label:<24}{n / end_to_end:>12.2f}{n / alone:>16.2f}{ratio:>7.2f}x"
            f"{'v' + str(qr.code.version):>6}{'' if ratio >= 0.77 else '  (below the 0.77x target)'}"
        )
    return issued


def bench_verifying(count: int) -> None:
    from certification.issuers import did_document, issuer_did
    from certification.models import Certificate, IssuerProfile, StatusList
    from certification.services import signed_status_list, status_list_url
    from certification.verification import verify_credential

    credentials = [c.credential.encode() for c in Certificate.objects.order_by("issued_at")[:count]]
    from pyld.jsonld import JsonLdProcessor

    from certification import integrity

    verified = timed(lambda: [verify_credential(data=raw) for raw in credentials], 1)
    # the same service with pyld's processor as it is (certification/jsonld_processor.py's reason)
    integrity.Processor, ours = JsonLdProcessor, integrity.Processor
    try:
        plain = timed(lambda: [verify_credential(data=raw) for raw in credentials], 1)
    finally:
        integrity.Processor = ours
    print(f"\nverifying {len(credentials)} distinct credentials, per second")
    print(f"{'verification service':<28}{len(credentials) / verified:>10.1f}")
    print(f"{'  with pyld as it is':<28}{len(credentials) / plain:>10.1f}   ({plain / verified:.2f}x slower)")
    documents = {issuer_did(p): did_document(p) for p in IssuerProfile.objects.all()}
    for status_list in StatusList.objects.all():
        documents[status_list_url(status_list)] = json.loads(signed_status_list(status_list=status_list))
    payload = {"credentials": [json.loads(raw) for raw in credentials], "documents": documents, "timed": True}
    try:
        completed = subprocess.run(
            ["node", str(VERIFIER)], input=json.dumps(payload), capture_output=True, text=True, cwd=ROOT, timeout=600
        )
    except FileNotFoundError:
        print("Digital Bazaar's verifier: node is not installed")
        return
    if completed.returncode != 0:
        print(f"Digital Bazaar's verifier did not run (npm ci?): {completed.stderr.strip()[:300]}")
        return
    answer = json.loads(completed.stdout)
    accepted = sum(1 for result in answer["results"] if result["verified"] and not result["revoked"])
    node_rate = len(credentials) / answer["seconds"]
    print(f"{'Digital Bazaar (Node)':<28}{node_rate:>10.1f}   ({accepted}/{len(credentials)} accepted)")
    ratio = (len(credentials) / verified) / node_rate
    print(f"{'ratio':<28}{ratio:>9.2f}x{'' if ratio >= 1.5 else '  (below the 1.5x target)'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10, help="certificates issued per script (default 10)")
    parser.add_argument("--verify", type=int, default=40, help="credentials verified (default 40)")
    args = parser.parse_args()
    memory = Path("/dev/shm")  # noqa: S108 - mkdtemp makes a private folder inside it
    base = str(memory) if memory.is_dir() else None
    workdir = Path(tempfile.mkdtemp(prefix="cert-bench-", dir=base))
    setup(workdir)
    print(f"database and media in {workdir}; every figure from this run, on this machine.\n")
    bench_issuing(args.n)
    bench_verifying(args.verify)


if __name__ == "__main__":
    main()
