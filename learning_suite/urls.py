"""Every URL of the suite, for a host site's root URLconf (docs/packaging.md).

Two lists, because Django allows ``i18n_patterns`` only in the root URLconf:

- ``urlpatterns``: routes without a language prefix (the API, learning records the pages post, H5P
  files, certificate files and DID documents that credentials name forever, the language switch).
  ``path("", include("learning_suite.urls"))`` adds them.
- ``page_urlpatterns``: the pages people read (learner dashboard, sign-in, the verification page),
  for the host's ``i18n_patterns`` block, before Wagtail's catch-all::

      urlpatterns += i18n_patterns(
          path("", include(learning_suite.urls.page_urlpatterns)),
          path("", include(wagtail_urls)),
          prefix_default_language=True,
      )
"""

from django.urls import include, path

from certification.urls import page_urlpatterns as certification_page_urls
from courses.offline import views as offline_views
from courses.search_views import search_view

urlpatterns = [
    path("api/", include("api.urls")),
    path("xapi/", include("api.lrs.urls")),  # the xAPI Learning Record Store (docs/xapi.md)
    path("i18n/", include("django.conf.urls.i18n")),
    path("h5p/", include("courses.h5p.urls")),
    path("scorm/", include("courses.scorm.urls")),  # SCORM packages' files
    path("learning/", include("lms.record_urls")),
    # offline lessons (docs/offline.md): the service worker must sit at the root to control every page
    path("sw.js", offline_views.service_worker, name="service_worker"),
    path("offline/", include("courses.offline.urls")),
    path("ims/case/v1p0/", include("courses.competencies.urls")),  # competency frameworks (docs/programmes.md)
    path("", include("certification.urls")),
    # single sign-on (OpenID Connect) and the LTI 1.3 tool, outside the language prefix (docs/integrations.md)
    path("sso/", include("lms.sso.urls")),
    path("lti/", include("lms.lti.urls")),
]

page_urlpatterns = [
    path("learning/", include("lms.page_urls")),
    path("search/", search_view, name="search"),  # site search (courses/search.py)
    path("", include((certification_page_urls, "certification_pages"))),
]
