"""URLs that verifiers resolve: outside the language prefix, because credentials name them forever."""

from django.urls import path

from . import views, wallet_views
from .registries import views as registry_views

app_name = "certification"

urlpatterns = [
    path(".well-known/did.json", views.site_did_document, name="site_did"),
    path("issuers/<slug:slug>/did.json", views.issuer_did_document, name="issuer_did"),
    path("certificates/status/<int:pk>", views.status_list, name="status_list"),
    path("certificates/status/<int:pk>/<int:index>", views.status_entry, name="status_entry"),
    path("certificates/achievements/<int:pk>", views.course_achievement, name="achievement"),
    path("certificates/programmes/<uuid:key>", views.programme_achievement_view, name="programme_achievement"),
    path("certificates/verify", views.verify, name="verify"),
    # integrations: the registry of accredited issuers this site publishes (DCC and OpenCerts-style)
    path("certificates/registry.json", registry_views.dcc_registry_json, name="registry_dcc"),
    path("certificates/registry-opencerts.json", registry_views.opencerts_registry_json, name="registry_opencerts"),
    path("certificates/<uuid:certificate_id>/credential.json", views.credential_json, name="credential"),
    path("certificates/<uuid:certificate_id>/certificate.pdf", views.certificate_pdf, name="pdf"),
    path("certificates/<uuid:certificate_id>/badge.png", views.certificate_badge, name="badge"),
    # "Add to a wallet": the VC-API exchange a wallet POSTs to, and its interaction URL (?iuv=1).
    path("certificates/exchanges/<str:token>", wallet_views.exchange, name="exchange"),
    path("certificates/exchanges/<str:token>/protocols", wallet_views.exchange_protocols, name="exchange_protocols"),
]

# Pages people read, in English or Bengali (inside i18n_patterns): /v/<id> redirects to /<lang>/v/<id>.
page_urlpatterns = [
    path("v/<uuid:certificate_id>", views.verification_page, name="verification_page"),
    path("certificates/offline-check.json", views.offline_check_data, name="offline_check_data"),
    path("certificates/", views.my_certificates, name="mine"),
    path("certificates/<uuid:certificate_id>/wallet", wallet_views.wallet_offer, name="wallet"),
]
