"""Offline lessons (docs/offline.md): the installable app's service worker and manifest, what "Save for
offline" stores for a module or course, and who the learner is, so a queued answer is only ever sent
for the learner it was made by."""
