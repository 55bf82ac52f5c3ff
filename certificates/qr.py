"""QR code modules for the certificate, as reportlab's encoder makes them, faster.

reportlab's `QRCode.make()` builds the whole symbol nine times: once for each of the
eight mask patterns, to score it, and once more with the best. Scoring in Python
lists is most of the cost of a certificate. Here the symbol is built once without
the mask's score in mind, each mask is applied as a precomputed bit pattern (the
positions of the data modules depend only on the QR version, so they are worked out
once per version and process), and each candidate is scored on integers with the
same rules and quirks as reportlab's `QRUtil.getLostPoint`. The mask chosen, and so
every module of the symbol, is the one reportlab chooses (a test compares them); the
final symbol is still made by reportlab.
"""

from __future__ import annotations

import functools
import itertools
import threading
from collections import OrderedDict
from collections.abc import Iterable

from reportlab.graphics.barcode import qrencoder

# reportlab looks for this one finder-like pattern, left to right, in rows only
# (its column pass compares a tuple with a list, which never matches).
_FINDER_LIKE = "10111010000"

Rows = tuple[int, ...]


def qr_modules(text: str) -> tuple[str, ...]:
    """The modules of the QR code of `text`, one string per row from the top, "1"
    dark and "0" light, at error correction level M: the same symbol as reportlab's
    encoder makes. The latest few are kept, so rendering one certificate again does
    not encode again."""
    with _cache_lock:
        if text in _cache:
            _cache.move_to_end(text)
            return _cache[text]
    modules = _encode(text)
    with _cache_lock:
        _cache[text] = modules
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return modules


CACHE_SIZE = 64
_cache_lock = threading.Lock()
_cache: OrderedDict[str, tuple[str, ...]] = OrderedDict()


def _encode(text: str) -> tuple[str, ...]:
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(text)
    code.version = code.calculate_version()
    code.dataCache = _codewords(code)
    code.makeImpl(True, 0)
    code.makeImpl(False, best_mask_pattern(code))
    return tuple("".join("1" if cell else "0" for cell in row) for row in code.modules)


def _codewords(code: qrencoder.QRCode) -> list[int]:
    """What reportlab's `QRCode.createData` returns (the data codewords, padded,
    then their Reed-Solomon error correction, interleaved by block), with the
    generator polynomials computed once per length instead of for every block."""
    blocks = qrencoder.QRRSBlock.getRSBlocks(code.version, code.errorCorrectLevel)
    buffer = qrencoder.QRBitBuffer()
    for data in code.dataList:
        data.write(buffer, code.version)
    capacity = sum(block.dataCount for block in blocks) * 8
    if buffer.getLengthInBits() > capacity:
        raise ValueError(
            f"Too much data for a QR code ({buffer.getLengthInBits()} bits)."
        )
    if buffer.getLengthInBits() + 4 <= capacity:
        buffer.put(0, 4)
    while buffer.getLengthInBits() % 8:
        buffer.putBit(False)
    for pad in itertools.cycle((qrencoder.QRCode.PAD0, qrencoder.QRCode.PAD1)):
        if buffer.getLengthInBits() >= capacity:
            break
        buffer.put(pad, 8)
    data_blocks = []
    correction_blocks = []
    offset = 0
    for block in blocks:
        data = buffer.buffer[offset : offset + block.dataCount]
        offset += block.dataCount
        data_blocks.append(data)
        correction_blocks.append(
            _error_correction(data, block.totalCount - block.dataCount)
        )
    return [
        codeword
        for group in (data_blocks, correction_blocks)
        for column in itertools.zip_longest(*group)
        for codeword in column
        if codeword is not None
    ]


def _error_correction(data: list[int], length: int) -> list[int]:
    """The `length` Reed-Solomon codewords of `data` (the remainder of the division
    by the generator polynomial, in reportlab's GF(256) tables)."""
    exp, log = qrencoder.EXP_TABLE, qrencoder.LOG_TABLE
    generator = _generator_logs(length)
    remainder = [0] * length
    for codeword in data:
        factor = codeword ^ remainder[0]
        remainder = remainder[1:] + [0]
        if factor:
            factor_log = log[factor]
            for index, coefficient_log in enumerate(generator):
                remainder[index] ^= exp[(factor_log + coefficient_log) % 255]
    return remainder


@functools.cache
def _generator_logs(length: int) -> tuple[int, ...]:
    """The logarithms of the coefficients of the generator polynomial of degree
    `length`, leading 1 left out (they are never 0)."""
    polynomial = qrencoder.QRUtil.getErrorCorrectPolynomial(length)
    return tuple(qrencoder.LOG_TABLE[c] for c in polynomial.num[1:])


def best_mask_pattern(code: qrencoder.QRCode) -> int:
    """The mask pattern reportlab's `getBestMaskPattern` picks for `code`, which must
    hold the symbol as `makeImpl(True, 0)` leaves it (test run, mask 0)."""
    count = code.moduleCount
    rows = tuple(_bits(row) for row in code.modules)
    columns = tuple(_bits(column) for column in zip(*code.modules, strict=True))
    best_pattern, best_score = 0, 0
    for pattern, (flip_rows, flip_columns) in enumerate(_mask_geometry(code.version)):
        score = _lost_points(
            tuple(a ^ b for a, b in zip(rows, flip_rows, strict=True)),
            tuple(a ^ b for a, b in zip(columns, flip_columns, strict=True)),
            count,
        )
        if pattern == 0 or score < best_score:
            best_pattern, best_score = pattern, score
    return best_pattern


def _bits(cells: Iterable[object]) -> int:
    """A line of modules as an integer: bit j is the module at index j."""
    value = 0
    for index, cell in enumerate(cells):
        if cell:
            value |= 1 << index
    return value


@functools.cache
def _mask_geometry(version: int) -> tuple[tuple[Rows, Rows], ...]:
    """For each mask pattern, which modules change when it replaces mask 0, as row
    and column integers. Only the data modules are masked; where they are depends
    only on the version."""
    code = qrencoder.QRCode(version, qrencoder.QRErrorCorrectLevel.M)
    count = version * 4 + 17
    code.moduleCount = count
    positions = code.dataPosIterator()
    row_masks = []
    column_masks = []
    for pattern in range(8):
        mask = qrencoder.QRUtil.getMask(pattern)
        rows = [0] * count
        columns = [0] * count
        for column, row in positions:
            if mask(row, column):
                rows[row] |= 1 << column
                columns[column] |= 1 << row
        row_masks.append(tuple(rows))
        column_masks.append(tuple(columns))
    return tuple(
        (
            tuple(a ^ b for a, b in zip(row_masks[0], rows, strict=True)),
            tuple(a ^ b for a, b in zip(column_masks[0], columns, strict=True)),
        )
        for rows, columns in zip(row_masks, column_masks, strict=True)
    )


def _lost_points(rows: Rows, columns: Rows, count: int) -> int:
    """reportlab's `QRUtil.getLostPoint` for the symbol given as row and column
    integers, worked out with bit operations on whole lines."""
    full = (1 << count) - 1
    pairs = (1 << (count - 1)) - 1
    score = 0
    # Rule 1: a run of L >= 5 same-colour modules, in a row or a column, costs
    # L - 2. Such a run is L - 1 neighbours alike in a row; `fours` marks where 4
    # such neighbours in a row start: L - 4 places, plus 2 for each run.
    for line in rows + columns:
        alike = ~(line ^ (line >> 1)) & pairs
        fours = alike & (alike >> 1) & (alike >> 2) & (alike >> 3)
        if fours:
            score += fours.bit_count() + 2 * (fours & ~(fours << 1)).bit_count()
    # Rule 2: 3 for every 2x2 block of one colour.
    for upper, lower in itertools.pairwise(rows):
        same_vertically = ~(upper ^ lower) & full
        same_across = ~(lower ^ (lower >> 1))
        block = same_vertically & (same_vertically >> 1) & same_across & pairs
        score += 3 * block.bit_count()
    # Rule 3: 40 for each finder-like pattern in a row (it cannot overlap itself);
    # reportlab stops one position short of the end.
    starts = (1 << max(count - len(_FINDER_LIKE), 0)) - 1
    for line in rows:
        found = starts
        for offset, module in enumerate(_FINDER_LIKE):
            found &= line >> offset if module == "1" else ~(line >> offset)
            if not found:
                break
        score += 40 * found.bit_count()
    # Rule 4: 10 for every 5 % that the dark share strays from half.
    dark = sum(row.bit_count() for row in rows)
    score += 10 * (abs(100 * dark // (count * count) - 50) // 5)
    return score
