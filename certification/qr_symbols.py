"""QR symbols from segments, by the fastest encoder at hand.

libqrencode (C; Debian's ``libqrencode4``) encodes a certificate's code several times faster than
any pure-Python encoder; segno is the fallback. Both encode with one fixed mask: any of the eight is
valid (ISO/IEC 18004 lets an encoder pick any) and every decoder reads them all, and evaluating
the eight for the lowest penalty was most of each encoder's cost (libqrencode: 3.4 ms of a
version-27 code's 3.6 ms on this machine). Both take the same segments (the URL in byte mode, the
payload in alphanumeric mode) and give the same ``QRSymbol``.
"""

import ctypes
import ctypes.util
from dataclasses import dataclass
from functools import cache

import segno
from segno import consts

FIXED_MASK = 0  # mask pattern 000: (row + column) mod 2 == 0
_LIBQRENCODE_MODES = {"alphanumeric": 1, "byte": 2}  # QR_MODE_AN, QR_MODE_8 in qrencode.h
_SEGNO_MODES = {"alphanumeric": consts.MODE_ALPHANUMERIC, "byte": consts.MODE_BYTE}
_DARK = bytes(i & 1 for i in range(256))  # libqrencode: bit 0 of each module is dark/light


class QRCapacityError(ValueError):
    """The data does not fit in a symbol of the largest version allowed."""


@dataclass(frozen=True)
class QRSymbol:
    version: int
    width: int
    modules: bytes  # width × width, row by row, 1 = dark
    encoder: str
    mask: int | None  # None: chosen by the encoder's penalty evaluation (an old libqrencode)


class _QRcode(ctypes.Structure):
    _fields_ = [("version", ctypes.c_int), ("width", ctypes.c_int), ("data", ctypes.POINTER(ctypes.c_ubyte))]


@cache
def _libqrencode():
    name = ctypes.util.find_library("qrencode")
    if name is None:
        return None
    lib = ctypes.CDLL(name)
    lib.QRinput_new2.restype, lib.QRinput_new2.argtypes = ctypes.c_void_p, [ctypes.c_int, ctypes.c_int]
    lib.QRinput_append.restype = ctypes.c_int
    lib.QRinput_append.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_char_p]
    lib.QRinput_free.restype, lib.QRinput_free.argtypes = None, [ctypes.c_void_p]
    lib.QRcode_encodeInput.restype = ctypes.POINTER(_QRcode)
    lib.QRcode_encodeInput.argtypes = [ctypes.c_void_p]
    lib.QRcode_free.restype, lib.QRcode_free.argtypes = None, [ctypes.POINTER(_QRcode)]
    if hasattr(lib, "QRcode_encodeMask"):  # exported since libqrencode 3.2, not declared in qrencode.h
        lib.QRcode_encodeMask.restype = ctypes.POINTER(_QRcode)
        lib.QRcode_encodeMask.argtypes = [ctypes.c_void_p, ctypes.c_int]
    return lib


def encoder_name() -> str:
    return "libqrencode" if _libqrencode() is not None else "segno"


def _with_libqrencode(lib, segments: list[tuple[str, str]], max_version: int) -> QRSymbol:
    qr_input = lib.QRinput_new2(0, 0)  # version chosen by size, error correction level L
    if not qr_input:
        raise MemoryError("libqrencode could not allocate its input")
    try:
        for text, mode in segments:
            data = text.encode("utf-8")
            if lib.QRinput_append(qr_input, _LIBQRENCODE_MODES[mode], len(data), data) != 0:
                raise ValueError(f"libqrencode refused a {mode} segment")
        if hasattr(lib, "QRcode_encodeMask"):
            code, mask = lib.QRcode_encodeMask(qr_input, FIXED_MASK), FIXED_MASK
        else:
            code, mask = lib.QRcode_encodeInput(qr_input), None
    finally:
        lib.QRinput_free(qr_input)
    if not code:
        raise QRCapacityError("The data does not fit in any QR version.")
    try:
        symbol = code.contents
        version, width = symbol.version, symbol.width
        modules = ctypes.string_at(symbol.data, width * width).translate(_DARK)
    finally:
        lib.QRcode_free(code)
    if version > max_version:
        raise QRCapacityError(f"The data needs QR version {version}, above {max_version}.")
    return QRSymbol(version, width, modules, "libqrencode", mask)


def _with_segno(segments: list[tuple[str, str]], max_version: int) -> QRSymbol:
    content = [(text, _SEGNO_MODES[mode]) for text, mode in segments]
    try:
        code = segno.make_qr(content, error="l", boost_error=False, mask=FIXED_MASK)
    except segno.DataOverflowError as exc:
        raise QRCapacityError(str(exc)) from exc
    if code.version > max_version:
        raise QRCapacityError(f"The data needs QR version {code.version}, above {max_version}.")
    modules = b"".join(bytes(row) for row in code.matrix)
    return QRSymbol(code.version, len(code.matrix), modules, "segno", code.mask)


def encode(segments: list[tuple[str, str]], *, max_version: int) -> QRSymbol:
    """One QR symbol at error level L holding ``segments`` ((text, "byte" | "alphanumeric") pairs)."""
    lib = _libqrencode()
    if lib is not None:
        return _with_libqrencode(lib, segments, max_version)
    return _with_segno(segments, max_version)
