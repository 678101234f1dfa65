"""The site as an LTI 1.3 tool, on django-lti (``lti_tool``) and PyLTI1p3.

- registrations and deployments are django-lti's models, registered by hand in the Django admin
  (issuer, client id, keyset, auth and token URLs); a deployment is inactive until an admin ticks it;
- ``launch``: a resource-link launch signs the learner in (keyed on issuer + ``sub`` in
  ``ExternalIdentity``), enrols them through the enrolment rule and remembers the link's line item;
- ``grades``: Assignment and Grade Services, the learner's score and completion sent to the line item;
- ``views``: login initiation, launch, deep linking (a teacher picks a course), the tool's keys,
  and the "open in a new window" hand-over for browsers that refuse cookies in frames.
"""
