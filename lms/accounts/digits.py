"""Numbers as people type them: Bengali (০-৯) and Tibetan/Dzongkha (༠-༩) digits are the same digits
as ASCII 0-9, so a phone number or a one-time code typed on a Bengali or Dzongkha keyboard is
read exactly as if it were typed in ASCII. Every form field that takes a number goes through here."""

BENGALI_ZERO = 0x09E6
TIBETAN_ZERO = 0x0F20
_TO_ASCII = {zero + offset: str(offset) for zero in (BENGALI_ZERO, TIBETAN_ZERO) for offset in range(10)}


def ascii_digits(value: str) -> str:
    """``value`` with every Bengali and Tibetan digit replaced by its ASCII digit; nothing else changes."""
    return (value or "").translate(_TO_ASCII)
