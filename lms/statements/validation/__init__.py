"""Statement validation against the MUST rules of the xAPI 1.0.3 Data section, in one place.

``validate_statement`` is the one entry: the LRS (``/xapi/statements``), the API's statements resource
and the lesson player's endpoint all call it before anything is stored. Small modules by part:
``values`` (data types and the rules for every value), ``agents``, ``activities``, ``parts`` (result,
context, attachments) and ``statement`` (the whole, its object, version and voiding).
"""

from .agents import check_agent, identifier_key
from .statement import VOIDED, validate_statement
from .values import check_duration, check_timestamp, check_uuid, invalid

__all__ = [
    "VOIDED",
    "check_agent",
    "check_duration",
    "check_timestamp",
    "check_uuid",
    "identifier_key",
    "invalid",
    "validate_statement",
]
