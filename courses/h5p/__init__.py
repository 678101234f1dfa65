"""H5P activities: validating and storing uploaded packages, serving them, and playing them in lessons.

``pyh5p`` reads packages and extracts them safely; ``validation`` adds the checks it lacks (library
metadata, folder names, preloaded files, dependencies, core API version, external media, SVG).
"""
