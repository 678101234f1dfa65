"""The site's languages that Django itself does not describe: Dzongkha.

Django's ``LANG_INFO`` (behind ``get_language_info`` and ``{% get_language_info %}``) has no entry
for Dzongkha (``dz``), and it has no catalogue or format module of its own: our catalogue is
``locale/dz/``, our date formats ``foundation/formats/dz/formats.py`` (``FORMAT_MODULE_PATH``).
"""

EXTRA_LANG_INFO = {
    "dz": {"bidi": False, "code": "dz", "name": "Dzongkha", "name_local": "རྫོང་ཁ"},
}


def install() -> None:
    from django.conf.locale import LANG_INFO

    for code, info in EXTRA_LANG_INFO.items():
        LANG_INFO.setdefault(code, info)
