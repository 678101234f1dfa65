"""How fast certificates are issued and verified, beside the raw cost of their parts, in one run.

    .venv/bin/python bench/certificates.py [--n 10]

Builds a throw-away SQLite site (the demo seed) in a temporary folder, then measures:
- certificates issued per second end to end (allocate a status bit, sign, render, store) for a
  Latin-script course (xhtml2pdf) and a Bengali one (WeasyPrint), beside each renderer's raw time
  on the same template, and the signing step alone;
- credentials verified per second through the verification service, beside raw Ed25519
  signature verifications per second.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def per_second(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def timed(function, count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        function()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10, help="certificates per script (default 10)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="cert-bench-"))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
            "LMS_VAR_DIR": str(workdir),
            "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        }
    )
    import django

    django.setup()
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from certification import rendering
    from certification.integrity import sign
    from certification.models import Certificate
    from certification.services import issue_certificate
    from certification.verification import verify_credential
    from courses.models import CoursePage
    from lms.models import Enrolment, EnrolmentStatus

    with open(os.devnull, "w") as devnull:
        call_command("migrate", verbosity=0, stdout=devnull)
        call_command("seed_demo", stdout=devnull, stderr=devnull)
    User = get_user_model()
    courses = {
        "Latin (xhtml2pdf)": (
            CoursePage.objects.get(slug="digital-governance-foundations", locale__language_code="en"),
            "Nusrat Jahan",
        ),
        "Bengali (WeasyPrint)": (
            CoursePage.objects.get(slug="online-public-services", locale__language_code="bn"),
            "রহিম উদ্দিন",
        ),
    }
    n = args.n
    print(f"{n} certificates per script; every figure from this run, on this machine.\n")
    print(f"{'issuing':<24}{'end to end /s':>15}{'raw render /s':>15}{'render share':>14}")
    sample = {}
    for label, (course, name) in courses.items():
        first, last = name.split(" ", 1)
        enrolments = []
        for i in range(n):
            user = User.objects.create(
                username=f"bench-{label[:5]}-{i}", first_name=first, last_name=last, email=f"b{i}@example.gov.bd"
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
        iterator = iter(enrolments)
        end_to_end = timed(lambda iterator=iterator: issue_certificate(enrolment=next(iterator)), n)
        certificate = Certificate.objects.filter(course=course).first()
        sample[label] = certificate
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
            verify_url="https://example/v/x",
            qr_text="https://example/v/x",
        )
        html = rendering.render_html(content)
        renderer = (
            rendering.render_pdf_weasyprint
            if rendering.renderer_for(content) == "weasyprint"
            else rendering.render_pdf_xhtml2pdf
        )
        raw = timed(lambda html=html, renderer=renderer: renderer(html), n)
        print(f"{label:<24}{per_second(n, end_to_end):>15.2f}{per_second(n, raw):>15.2f}{raw / end_to_end:>13.0%}")

    latin = sample["Latin (xhtml2pdf)"]
    latin_html = rendering.render_html(
        rendering.CertificateContent(
            certificate_id=str(latin.pk),
            recipient_name=latin.recipient_name,
            course_title=latin.course_title,
            credit_hours=latin.credit_hours,
            accrediting_body=latin.accrediting_body_name,
            issuer_name=latin.issuer.name,
            completed_at=latin.completed_at,
            issued_at=latin.issued_at,
            valid_until=None,
            language="en",
            verify_url="https://example/v/x",
            qr_text="https://example/v/x",
        )
    )
    xhtml = timed(lambda: rendering.render_pdf_xhtml2pdf(latin_html), n)
    weasy = timed(lambda: rendering.render_pdf_weasyprint(latin_html), n)
    print(
        f"\nsame Latin page: xhtml2pdf {per_second(n, xhtml):.2f}/s, WeasyPrint {per_second(n, weasy):.2f}/s "
        f"(WeasyPrint takes {weasy / xhtml:.1f}x as long)"
    )
    import json

    document = {key: value for key, value in json.loads(latin.credential).items() if key != "proof"}
    key = Ed25519PrivateKey.generate()
    signing = timed(
        lambda: sign(document, private_key=key, verification_method="did:web:x#key-1", created=timezone.now()), n
    )
    print(f"signing alone (canonicalise twice + Ed25519): {per_second(n, signing):.1f}/s")

    raw_credential = latin.credential.encode()
    verifications = max(n * 5, 20)
    service = timed(lambda: verify_credential(data=raw_credential), verifications)
    signature = key.sign(b"x" * 64)
    public = key.public_key()
    ed_count = 20_000
    ed = timed(lambda: public.verify(signature, b"x" * 64), ed_count)
    print(f"\n{'verifying':<24}{'per second':>15}")
    print(f"{'verification service':<24}{per_second(verifications, service):>15.1f}")
    print(f"{'raw Ed25519 verify':<24}{per_second(ed_count, ed):>15.1f}")
    print(
        f"the service does {per_second(ed_count, ed) / per_second(verifications, service):.0f}x the work of one raw "
        "verification (JSON-LD canonicalisation of proof options and document dominates)"
    )


if __name__ == "__main__":
    main()
