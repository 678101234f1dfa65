from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from certification.urls import page_urlpatterns as certification_page_urls

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/", include("api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("learning/", include("lms.record_urls")),
    path("", include("certification.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("learning/", include("lms.page_urls")),
    path("", include((certification_page_urls, "certification_pages"))),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

handler404 = "lms.error_pages.page_not_found"
handler500 = "lms.error_pages.server_error"
