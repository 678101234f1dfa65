"""SCORM runtime data: what a learner's SCOs commit, per learner, SCO and attempt, and the results it records."""
