"""Query parameters as the schema declares them: an unknown one, one given twice, or a ``page`` that
is not a positive whole number is a 400 with the standard error body, on every API view.

Each view's declared parameters are ``query_parameters`` (a class attribute) plus ``page`` for a
paginated list and the fields of its ``filters_serializer_class``: the same sources the schema is
generated from. The xAPI statements resource has its own, stricter check (``api.xapi``).
"""

from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.generics import ListAPIView


def _refuse(name: str, message: str, code: str) -> ValidationError:
    return ValidationError({name[:50]: [ErrorDetail(message, code=code)]})


class DeclaredQueryParameters:
    query_parameters: frozenset[str] = frozenset()
    filters_serializer_class = None

    def declared_query_parameters(self) -> set[str]:
        declared = set(self.query_parameters)
        if isinstance(self, ListAPIView) and self.pagination_class is not None:
            declared.add(self.pagination_class.page_query_param)
        if self.filters_serializer_class is not None:
            declared |= set(self.filters_serializer_class().fields)
        return declared

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        declared = self.declared_query_parameters()
        for name in request.query_params:
            if name not in declared:
                raise _refuse(name, f"The parameter {name[:50]!r} is not recognised here.", "unknown_parameter")
            if len(request.query_params.getlist(name)) > 1:
                raise _refuse(name, f"Give {name[:50]!r} once.", "repeated_parameter")
        page = request.query_params.get("page")
        if page is not None and "page" in declared and not (page.isdigit() and 0 < len(page) <= 9 and int(page) > 0):
            raise _refuse("page", "page must be a whole number from 1.", "invalid_page")
