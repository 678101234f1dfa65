"""SCORM 1.2 and 2004 packages: validation of the archive and its manifest, storage, serving, admin upload."""
