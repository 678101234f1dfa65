from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

import learning_suite.urls

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("learning_suite.urls")),  # the suite's routes without a language prefix
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("", include(learning_suite.urls.page_urlpatterns)),  # the suite's pages, per language
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

handler404 = "learning_site.error_pages.page_not_found"
handler500 = "learning_site.error_pages.server_error"
