"""Near-duplicate detection: MinHash signatures of character shingles, an LSH band index that proposes
candidates, and the whole-text decision whether two copies are the same article (:func:`same_article`).

Character shingles need no word segmentation, so Chinese and English texts are treated alike, and
every text is first folded to one script (:func:`fold`), so a traditional-character repost meets its
simplified original. The signature thresholds (``compare``) only weed out candidates cheaply; the
decision reads both texts and rests on three things:

- **Where the smaller copy lies in the larger** (:func:`overlap`): a repost keeps its original's
  words, so the smaller must lie inside the larger, with no long stretch of its own between shared
  parts. Shared boilerplate frames (a notice series' fixed opening and closing paragraphs) cover much
  of two different notices, but their cores are such stretches.
- **The numbers both copies state** (:func:`check_facts`): two editions of a templated notice share
  nearly every word (Jaccard 0.78 for the 2024 and 2025 enrolment notices of one district) and differ
  in their years, dates and counts. A number stated at the same place with another value makes them
  two articles; a copy that lacks it (a farm's stripped year, a cut copy) says nothing against them.
- **Headlines**, where one copy is much shorter than the other (``SAME_HEADLINE_BELOW``).

Measured with ``python benchmarks/dedupe.py`` (real article texts of ``../shared/devset`` made into
copies and look-alikes on invented site templates, replayed end to end; 6,987 pairs): with the
MinHash decision alone 99.5 % of next editions were merged and 7 % of traditional copies found;
with this one no next edition is merged, every traditional copy is found, and recall over the
positive kinds is 0.998 at precision 1.000 (the tune and blind halves alike, to within 0.003); the
intact original is the article in 99.9 % of the groups whose degraded copy came first. The
thresholds were set on the ``tune`` half; ``tests/neardup_cases.py`` adds a fixture-built gate.

Changing anything that shapes a signature (``SHINGLE_SIZE``, ``NUM_PERM``, ``BANDS``/``ROWS``,
``MINHASH_SEED``, ``MINHASH_SCHEME`` or ``shingle_text``) makes stored signatures and band rows
incomparable with new ones: re-sign stored articles and rebuild the band index after such a change
(migration 0007 did so when folding came in).
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cached_property, lru_cache
from itertools import accumulate

import numpy as np
import opencc  # type: ignore[import-untyped]

from crawler.extraction.patterns import CJK_CHAR

#: Permutations per signature. 192 rather than datasketch's usual 128 because the band index needs
#: 3 rows per band (below) and enough bands to find weak reposts; it also narrows the Jaccard
#: estimate's standard error to about 0.035 at J=0.5.
NUM_PERM: int = 192
#: LSH banding: BANDS * ROWS == NUM_PERM. A pair becomes a candidate with probability
#: 1 - (1 - J**ROWS)**BANDS, an S-curve whose midpoint is (1/64)**(1/3) ≈ 0.25: 98.5% at J=0.4 (the
#: weakest synthetic reposts, truncated to 60% with digits stripped or ads added, measure 0.41-0.5),
#: 0.006% at J=0.01 (unrelated education articles). 32 bands of 4 rows found only 56% of pairs at
#: J=0.4; 64 bands of 2 rows (with 128 permutations) found every repost but made 13-17% of the
#: evaluation's negatives candidates, against 0-2% here.
BANDS: int = 64
ROWS: int = 3
#: Characters per shingle. 5 characters is about two Chinese words: short enough that an edited
#: character spoils only 5 shingles, long enough that stock phrases shared by all education news
#: ("义务教育", "教育局") do not make unrelated articles look alike: the closest two fixture articles
#: share 4% of their 5-shingles but 9% of their 3-shingles, while the weakest repost keeps 0.46 (0.51).
SHINGLE_SIZE: int = 5
#: Fixed MinHash seed and permutation scheme: signatures must be comparable across processes and
#: runs. They are datasketch 2.0's ``affine32`` MinHash (the scheme stored signatures were made with),
#: computed here with NumPy alone: importing datasketch brought SciPy into every crawl process (63 MB).
#: ``tests/test_neardup.py`` checks the values against datasketch's own.
MINHASH_SEED = 1
MINHASH_SCHEME = "affine32"
#: The affine32 scheme's pre-mix of each shingle hash: MurmurHash3's 32-bit finalizer (shift,
#: multiplier, shift, multiplier, shift), a bijection that spreads similar hashes apart.
FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))

#: A pair with at least this estimated Jaccard similarity is a repost whatever its sizes. On the
#: evaluation sets (seeds 7-11) untruncated reposts measure 0.57 and up, different articles at most 0.25 (two
#: articles carrying the same long footer); truncated reposts are left to the containment rule.
JACCARD_THRESHOLD = 0.5
#: A pair whose smaller copy lies at least this much inside the larger one is a repost (a truncated
#: copy), provided the smaller is not much smaller (``MIN_SIZE_RATIO``). Truncated reposts with ads
#: measure 0.70 and up, articles sharing boilerplate at most 0.45: 0.6 leans towards keeping articles
#: apart, since a wrong merge hides an article while a missed one only stores a duplicate.
CONTAINMENT_THRESHOLD = 0.6
#: A short text contained in a long one is a brief or a quote, not a repost: a copy with less than
#: this share of the other's shingles (letters, in :func:`same_article`) is never the same article.
#: Cut copies keep the first paragraphs, which can be a fifth of the letters when the later
#: paragraphs are long. It also bounds the containment estimate's error, which grows as 1/ratio.
MIN_SIZE_RATIO = 0.2
#: Below this share of the other's letters, a copy is a cut copy only if it carries the other's
#: headline (:func:`headlines_agree`): on its words alone, a notice holding nothing but its series'
#: opening and closing paragraphs lies inside every other notice of the series.
SAME_HEADLINE_BELOW = 0.5

#: Everything that is not a letter or a digit: punctuation (ASCII and CJK), symbols, spaces, line
#: breaks and control characters. Reposts restyle all of these, so none of them is evidence.
NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")
#: Hash values are 32-bit in the affine32 scheme; stored as little-endian unsigned 32-bit ints.
HASHVALUE_FORMAT = "<{}I"
HASHVALUE_BYTES = 4
HASHVALUE_DTYPE = "<u4"
#: The shingle hash is datasketch's ``sha1_hash32``: the first 4 bytes of SHA-1, little-endian.
SHINGLE_HASH_BYTES = 4
SHINGLE_HASH_DTYPE = "<u4"
#: Buckets are stored in a signed 64-bit column, so they keep the low 63 bits of the band hash.
BUCKET_MASK = (1 << 63) - 1
#: Personalisation of the band hash, so buckets never coincide with other blake2b uses.
BUCKET_PERSON = b"edunews-lsh"


@lru_cache(maxsize=1)
def _to_simplified() -> opencc.OpenCC:
    """OpenCC's traditional-to-simplified converter, loaded once per process (its dictionaries)."""
    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """The text in the one form copies are compared in: NFKC (full-width letters, digits and
    punctuation become ASCII), traditional Chinese characters as simplified ones, lower-case.

    A Taiwan or Hong Kong portal's copy of a mainland article differs in nearly every character
    (發/发, 學/学, 臺/台), so unfolded it shares almost no shingle with its original. OpenCC converts by
    phrase, not character by character, and its ``t2s`` dictionaries are the maintained ones; a
    simplified text goes through unchanged, so both sides of any comparison can be folded alike."""
    return _to_simplified().convert(unicodedata.normalize("NFKC", text)).lower()


def has_traditional(text: str) -> bool:
    """Whether :func:`fold` turns characters of ``text`` into simplified ones: a copy in traditional
    script (and a text whose keys changed when folding came in)."""
    return _to_simplified().convert(text) != text


def shingle_text(text: str) -> str:
    """The text as shingling sees it: :func:`fold`-ed, with everything but letters and digits
    removed. Two copies that differ only in script (traditional or simplified), punctuation style,
    width, case, spacing or line breaks give the same string."""
    return NOT_LETTER_OR_DIGIT.sub("", fold(text))


def shingles(text: str) -> set[str]:
    """The distinct ``SHINGLE_SIZE``-character substrings of ``shingle_text(text)``.

    A text shorter than one shingle is one shingle of its own, so two identical short texts still
    match and two different ones do not; an empty text has no shingles (and never matches)."""
    letters = shingle_text(text)
    if len(letters) <= SHINGLE_SIZE:
        return {letters} if letters else set()
    return {letters[start : start + SHINGLE_SIZE] for start in range(len(letters) - SHINGLE_SIZE + 1)}


@dataclass(frozen=True)
class Signature:
    """A text's MinHash signature and the number of distinct shingles it was computed from."""

    hashvalues: tuple[int, ...]
    """``NUM_PERM`` minimum hash values, one per permutation."""
    size: int
    """Number of distinct shingles: containment needs set sizes, which MinHash alone does not keep.
    0 marks an empty text, whose signature matches nothing."""

    @cached_property
    def buckets(self) -> tuple[tuple[int, int], ...]:
        """:func:`band_buckets` of this signature, worked out once (storing a new article asks for
        them twice: for its candidates, then for its band rows) and pickled with the signature, so
        a worker that signs a text hashes its bands too."""
        return band_buckets(self)

    def to_bytes(self) -> bytes:
        """The hash values packed for a BLOB column (the size is stored beside it)."""
        return struct.pack(HASHVALUE_FORMAT.format(len(self.hashvalues)), *self.hashvalues)

    @classmethod
    def from_bytes(cls, data: bytes, size: int) -> Signature:
        """The signature ``to_bytes`` packed (see :func:`_require_packed_signature`)."""
        _require_packed_signature(data)
        return cls(struct.unpack(HASHVALUE_FORMAT.format(NUM_PERM), data), size)


def _require_packed_signature(data: bytes) -> None:
    """Raise ``ValueError`` for packed data that does not hold ``NUM_PERM`` values: a signature made
    with other parameters cannot be compared."""
    if len(data) != NUM_PERM * HASHVALUE_BYTES:
        raise ValueError(f"a signature is {NUM_PERM * HASHVALUE_BYTES} bytes, got {len(data)}")


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The ``NUM_PERM`` affine permutations ``h -> a*h + b (mod 2**32)``, drawn from ``MINHASH_SEED``
    in the affine32 scheme's order: odd multipliers ``a`` (so each is a bijection), then offsets
    ``b``. NumPy's legacy ``RandomState`` keeps its stream fixed across releases, so they never change.
    Drawn once: drawing them costs more than signing a text."""
    generator = np.random.RandomState(MINHASH_SEED)
    a = generator.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def _shingle_hashes(grams: set[str]) -> np.ndarray:
    """datasketch's default ``sha1_hash32`` of each shingle (the first four bytes of its SHA-1, read
    little-endian), unpacked in one go: called once per shingle it cost a fifth of signing a text."""
    digests = b"".join([hashlib.sha1(gram.encode("utf-8")).digest()[:SHINGLE_HASH_BYTES] for gram in grams])
    return np.frombuffer(digests, dtype=SHINGLE_HASH_DTYPE).astype(np.uint32)


def _premixed(hashes: np.ndarray) -> np.ndarray:
    """``hashes`` through ``FMIX32`` (uint32 arithmetic wraps, as the finalizer intends)."""
    first_shift, first_multiplier, second_shift, second_multiplier, last_shift = FMIX32
    hashes = (hashes ^ (hashes >> first_shift)) * first_multiplier
    hashes = (hashes ^ (hashes >> second_shift)) * second_multiplier
    return hashes ^ (hashes >> last_shift)


def signature(text: str) -> Signature:
    """The MinHash signature of ``text``'s shingles (see ``shingles``): for each permutation, the
    least permuted hash of any shingle, all shingles times all permutations in one array operation."""
    grams = shingles(text)
    if not grams:
        return Signature(tuple([0] * NUM_PERM), 0)
    multipliers, offsets = _permutations()
    permuted = _premixed(_shingle_hashes(grams))[:, np.newaxis] * multipliers + offsets
    return Signature(tuple(permuted.min(axis=0).tolist()), len(grams))


def band_buckets(sig: Signature) -> tuple[tuple[int, int], ...]:
    """``(band, bucket)`` for each of the ``BANDS`` bands: two texts become candidates when they share
    one. The bucket is a keyed blake2b of the band's ``ROWS`` values, cut to 63 bits for a signed
    BIGINT column; unlike ``hash()`` it is the same in every process. An empty text has no bands, so
    it is never anyone's candidate. The 64 hashes cost a tenth of signing the text: use
    ``Signature.buckets``, which works them out once."""
    if sig.size == 0:
        return ()
    if len(sig.hashvalues) != BANDS * ROWS:
        raise ValueError(f"a signature has {BANDS * ROWS} values, got {len(sig.hashvalues)}")
    # Packed once, each band is a slice: the same bytes as packing the band's values on their own.
    packed = struct.pack(f"<{NUM_PERM}Q", *sig.hashvalues)
    width = ROWS * 8
    return tuple((band, _bucket(packed[band * width : (band + 1) * width])) for band in range(BANDS))


def _bucket(band_bytes: bytes) -> int:
    """The keyed 63-bit hash of one band's packed values."""
    digest = hashlib.blake2b(band_bytes, digest_size=8, person=BUCKET_PERSON).digest()
    return int.from_bytes(digest, "little") & BUCKET_MASK


def jaccard(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the two shingle sets: the share of permutations whose minima
    agree. 0.0 when either text is empty."""
    return compare(a, b).jaccard


def containment(a: Signature, b: Signature) -> float:
    """Estimated share of the smaller shingle set that lies in the larger one. Jaccard understates a
    truncated repost (the first 60% of an article has J≈0.6 with it, yet all of it is copied), so the
    intersection is recovered from J and the exact set sizes: |A∩B| = J(|A|+|B|)/(1+J)."""
    return compare(a, b).containment


@dataclass(frozen=True)
class Match:
    """The comparison of two signatures and its verdict."""

    duplicate: bool
    """True when one text is a repost of the other."""
    jaccard: float
    containment: float


def compare(a: Signature, b: Signature) -> Match:
    """Decide whether two texts are the same article: similar overall (``JACCARD_THRESHOLD``), or one
    mostly inside the other (``CONTAINMENT_THRESHOLD``) and not much shorter (``MIN_SIZE_RATIO``)."""
    if len(a.hashvalues) != len(b.hashvalues):
        raise ValueError(f"signatures of {len(a.hashvalues)} and {len(b.hashvalues)} values cannot be compared")
    duplicate, similarity, contained = _verdicts(a, np.array([b.hashvalues], dtype=np.uint32), np.array([b.size]))
    return Match(bool(duplicate[0]), float(similarity[0]), float(contained[0]))


def _verdicts(a: Signature, hashvalues: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`compare` of ``a`` with each row of ``hashvalues`` (a signature's values a row, their
    shingle counts in ``sizes``) in one pass of NumPy: the verdicts, Jaccard estimates and
    containments. A new article meets every stored article that shares one of its buckets, hundreds
    once many stored texts share a template, and compared one by one in Python they cost a crawl more
    than storing it."""
    mine = np.array(a.hashvalues, dtype=np.uint32)
    empty = (sizes == 0) | (a.size == 0)
    similarity = np.where(empty, 0.0, (hashvalues == mine).sum(axis=1) / len(a.hashvalues))
    smaller, larger = np.minimum(sizes, a.size), np.maximum(sizes, a.size)
    intersection = similarity * (a.size + sizes) / (1 + similarity)
    contained = np.where(similarity == 0.0, 0.0, np.minimum(1.0, intersection / np.maximum(smaller, 1)))
    comparable = ~empty & (smaller >= MIN_SIZE_RATIO * larger)
    duplicate = (similarity >= JACCARD_THRESHOLD) | ((contained >= CONTAINMENT_THRESHOLD) & comparable)
    return duplicate, similarity, contained


@dataclass(frozen=True)
class Candidates:
    """Stored articles' signatures as the database packs them (see :meth:`Signature.to_bytes`), by
    article id, to be compared with one new signature at once."""

    ids: tuple[int, ...]
    hashvalues: np.ndarray
    sizes: np.ndarray

    @classmethod
    def packed(cls, signatures: Mapping[int, tuple[bytes, int]]) -> Candidates:
        """The candidates of ``signatures`` (article id → packed values and shingle count), in id
        order (see :func:`_require_packed_signature`)."""
        ids = tuple(sorted(signatures))
        for article_id in ids:
            _require_packed_signature(signatures[article_id][0])
        packed = b"".join(signatures[article_id][0] for article_id in ids)
        hashvalues = np.frombuffer(packed, dtype=HASHVALUE_DTYPE).reshape(len(ids), NUM_PERM)
        return cls(ids, hashvalues, np.array([signatures[article_id][1] for article_id in ids], dtype=np.int64))

    def __len__(self) -> int:
        return len(self.ids)

    def duplicates(self, signature: Signature) -> list[tuple[int, Match]]:
        """(article id, match) of the candidates :func:`compare` calls copies of ``signature``, in id order."""
        if not self.ids:
            return []
        duplicate, similarity, contained = _verdicts(signature, self.hashvalues, self.sizes)
        return [
            (self.ids[row], Match(True, float(similarity[row]), float(contained[row])))
            for row in np.flatnonzero(duplicate).tolist()
        ]


#: A number as a page writes it, after :func:`fold` (full-width digits are ASCII by then), with its
#: thousands separators or decimal point ("1,250", "3.5"); or a run of letters. Numbers are read
#: before punctuation and spaces go: in "August 9, 2012" the day and the year are two facts, and a
#: copy that cut the year still states the day.
NUMBER_OR_LETTERS = re.compile(r"([0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?)|[^\W\d_]+")
#: Letters of the digit-free stream on each side of a number that name its place: a number is the
#: same fact in two copies when it stands between the same letters. Four letters are two Chinese
#: words or most of an English word pair: enough that one text rarely repeats a context (of 6,400
#: numbers in 400 real article texts, 3 % shared their context with another number of the same text),
#: few enough that a spun word near a number usually leaves one of its two contexts alone.
FACT_CONTEXT = 4
#: Letters a place needs on each side before a copy can be said to lack its number.
MISSING_CONTEXT = 2
#: Letters in the shingles that locate the shared parts of two copies (see :func:`overlap`), by
#: script. Five Chinese characters are two or three words, as in the signature; five Latin letters
#: are a single common word ("which", "ation"), so two unrelated English texts cover a third of each
#: other by chance. Sixteen letters are three words or so: chance matches become rare, while a
#: replaced word still uncovers little more than itself.
COVER_SHINGLE = {"han": SHINGLE_SIZE, "other": 16}
#: A text counts as Chinese (``han`` shingles) when at least this share of its letters are Han.
HAN_SHARE = 0.3
#: The smaller copy must lie at least this much inside the larger, counted by its letters. A repost
#: keeps its original's words; spinning and inserted adverts uncover a few percent.
MIN_COVERAGE = 0.6
#: The longest stretch of the smaller copy that lies mostly outside the larger (at least
#: ``GAP_WEIGHT`` of its letters uncovered for each covered one) may be at most this share of it, or
#: ``MIN_GAP_LETTERS`` if that is more. A repost's additions are lines (an advert, a reprint notice,
#: an editor's lead); two notices of one series share their opening and closing paragraphs around
#: cores that differ whole, and the core is that stretch. "Mostly" rather than "wholly", so that a
#: stock phrase both cores happen to share does not cut the core into pieces that each look short.
MAX_GAP_SHARE = 0.2
MIN_GAP_LETTERS = 80
GAP_WEIGHT = 3
#: Only a stretch between two shared runs of at least this many letters counts as a core (a frame's
#: opening and closing are paragraphs): what the smaller copy has beyond its last shared run is where
#: the other copy was cut (a teaser, a copy that lost its end), and what it has before its first is
#: a lead of its own. Shorter shared runs are stock phrases that any two texts of one field share.
ANCHOR_LETTERS = {"han": 40, "other": 64}


@dataclass(frozen=True)
class Facts:
    """The numbers a text states, each keyed by its place: the letters around it, digits left out."""

    letters: str
    """The folded text's letters without digits or punctuation: the stream the places refer to."""
    numbers: dict[str, tuple[str, ...]]
    """Context key (``FACT_CONTEXT`` letters before ``|`` letters after) → the numbers found there,
    leading zeros dropped (``09`` and ``9`` are one day)."""
    places: frozenset[int]
    """Offsets in ``letters`` where a number stands."""


def facts(text: str) -> Facts:
    """The numbers of ``text`` with their places. Digits are the facts that tell one edition of a
    notice from the next: its year, its dates, its counts and quotas, its edition number."""
    letters: list[str] = []
    found: list[tuple[int, str]] = []
    offset = 0
    for token in NUMBER_OR_LETTERS.finditer(fold(text)):
        number = token.group(1)
        if number is None:
            letters.append(token.group())
            offset += len(token.group())
        else:
            found.append((offset, re.sub(r"[.,]", "", number).lstrip("0") or "0"))
    joined = "".join(letters)
    numbers: dict[str, list[str]] = {}
    for place, value in found:
        key = joined[max(0, place - FACT_CONTEXT) : place] + "|" + joined[place : place + FACT_CONTEXT]
        numbers.setdefault(key, []).append(value)
    places = frozenset(place for place, _ in found)
    return Facts(joined, {key: tuple(values) for key, values in numbers.items()}, places)


@dataclass(frozen=True)
class FactCheck:
    """How the numbers of two copies compare, place by place."""

    agreeing: int
    """Places where both copies state the same numbers."""
    conflicting: int
    """Places where both copies state numbers and none of them agree: a different edition."""
    missing_in_first: int
    """Places where the second copy states a number and the first has the same letters around
    nothing: digits stripped (content farms cut years) or the place cut away."""
    missing_in_second: int


def _missing(where: Facts, key: str) -> bool:
    """Whether ``where`` has the letters of ``key`` with no number between them. A place needs
    letters on both sides (``MISSING_CONTEXT``): a number closing a headline or a text ("…通知 09")
    has its place at an end, where any copy that ends in the same letters would seem to lack it."""
    before, after = key.split("|")
    if min(len(before), len(after)) < MISSING_CONTEXT:
        return False
    start = where.letters.find(before + after)
    while start != -1:
        if start + len(before) not in where.places:
            return True
        start = where.letters.find(before + after, start + 1)
    return False


def check_facts(first: Facts, second: Facts) -> FactCheck:
    """Compare the numbers two copies state at the same places. Where one copy states a number and
    the other does not (stripped, or cut away) nothing is said against them; where both state numbers
    and none agree, they tell different facts."""
    agreeing = conflicting = 0
    for key, values in first.numbers.items():
        other = second.numbers.get(key)
        if other is None:
            continue
        if set(values) == set(other):
            agreeing += 1
        elif not set(values) & set(other):
            conflicting += 1
    missing_in_first = sum(_missing(first, key) for key in second.numbers.keys() - first.numbers.keys())
    missing_in_second = sum(_missing(second, key) for key in first.numbers.keys() - second.numbers.keys())
    return FactCheck(agreeing, conflicting, missing_in_first, missing_in_second)


@dataclass(frozen=True)
class Overlap:
    """Where the smaller of two copies lies inside the larger, letter by letter (digits left out)."""

    coverage: float
    """Share of the smaller copy's letters inside a shingle the larger copy has too."""
    gap: int
    """The longest run of the smaller copy's letters that no shared shingle covers."""
    size_ratio: float
    """Letters of the smaller copy over letters of the larger."""
    smaller: int
    """Letters of the smaller copy."""


def overlap(first: Facts, second: Facts) -> Overlap:
    """Where the smaller copy's letters stand in the larger copy. Digits are left out of both, so a
    copy with its years stripped is measured by its words alone (the numbers are :func:`check_facts`'s
    business)."""
    small, large = sorted((first.letters, second.letters), key=len)
    if not small:
        return Overlap(0.0, 0, 0.0, 0)
    script = "han" if len(CJK_CHAR.findall(small)) >= HAN_SHARE * len(small) else "other"
    width = COVER_SHINGLE[script]
    if len(small) < width:
        inside = small in large
        return Overlap(float(inside), 0 if inside else len(small), len(small) / len(large), len(small))
    covered = _covered(small, large, width)
    allowed = max(MIN_GAP_LETTERS, MAX_GAP_SHARE * len(small))
    start, end = own_ends(covered, _covered(large, small, width), ANCHOR_LETTERS[script], allowed)
    return Overlap(sum(covered) / len(small), mostly_uncovered(covered[start:end]), len(small) / len(large), len(small))


def _covered(text: str, other: str, width: int) -> bytearray:
    """1 for each letter of ``text`` inside a ``width``-letter shingle that ``other`` has too."""
    known = {other[start : start + width] for start in range(len(other) - width + 1)}
    covered = bytearray(len(text))
    for start in range(len(text) - width + 1):
        if text[start : start + width] in known:
            covered[start : start + width] = b"\x01" * width
    return covered


def own_ends(small: bytearray, large: bytearray, anchor: int, allowed: float) -> tuple[int, int]:
    """The part of the smaller copy (``small``: its coverage by the larger) whose stretches of its
    own count against it: all of it, less what stands before its first shared run of ``anchor``
    letters or after its last one where the larger copy (``large``) has no more than ``allowed``
    letters of its own there. A copy that was cut stops where its words stop (its end is the other
    copy's to keep, perhaps after a line of adverts), and one that got a lead has just that before
    its first shared run; two texts that share a beginning and then both go on, each in words of its
    own, are two texts (a series' opening with different news after it)."""
    mine, theirs = _anchors(small, anchor), _anchors(large, anchor)
    if mine is None or theirs is None:
        return 0, len(small)
    start = mine[0] if theirs[0] <= allowed else 0
    end = mine[1] if len(large) - theirs[1] <= allowed else len(small)
    return start, end


def _anchors(covered: bytearray, anchor: int) -> tuple[int, int] | None:
    """Where the first covered run of ``anchor`` letters or more starts and the last one ends."""
    runs = [match.span() for match in re.finditer(b"\x01{%d,}" % anchor, covered)]
    return (runs[0][0], runs[-1][1]) if runs else None


def mostly_uncovered(covered: bytearray) -> int:
    """The length of the longest stretch with more than ``GAP_WEIGHT`` uncovered letters for each
    covered one.

    With ``balance[i]`` the sum over the first ``i`` letters of 1 per uncovered and ``-GAP_WEIGHT``
    per covered letter, a stretch ``[i, j)`` qualifies when ``balance[j] > balance[i]``. The widest
    such pair is found in one pass: the lowest balance up to each ``i`` and the highest from each
    ``j`` on are both monotone, so two cursors walk them once (linear, where trying every stretch
    would be quadratic)."""
    balance = [0]
    for flag in covered:
        balance.append(balance[-1] + (-GAP_WEIGHT if flag else 1))
    lowest_before = list(accumulate(balance, min))
    highest_after = list(accumulate(reversed(balance), max))[::-1]
    start = end = widest = 0
    while start < len(balance) and end < len(balance):
        if lowest_before[start] < highest_after[end]:
            widest = max(widest, end - start)
            end += 1
        else:
            start += 1
    return widest


@dataclass(frozen=True)
class Verdict:
    """Whether two copies are one article, and the evidence."""

    duplicate: bool
    reason: str
    """``repost``; or why not: ``too-short`` (a brief or a quote of the other, or much shorter under
    another headline), ``different-text``,
    ``different-core`` (they share a frame, not a body), ``different-facts`` (another edition)."""
    overlap: Overlap
    facts: FactCheck
    """The numbers of the texts, and of the headlines, compared."""


#: Letters of its own the shorter headline may have beyond the run it shares with the longer (a
#: site's "重庆：" or "独家｜"), or this share of its letters if that is more.
HEADLINE_OWN_LETTERS = 4
HEADLINE_OWN_SHARE = 0.15


def headlines_agree(first: str, second: str) -> bool:
    """Whether the shorter headline stands inside the longer in one run, less a short affix of its
    own, whatever prefix or suffix a reposting site gave either ("重庆：", "_教育频道"), and their
    numbers do not disagree (a farm's copy may lack the year, not state another). Two empty
    headlines say nothing, so they do not agree; nor do two that share a long series prefix
    ("…关于招生工作的通知：") and go on differently."""
    small, large = sorted((facts(first), facts(second)), key=lambda found: len(found.letters))
    if not small.letters:
        return False
    shared = SequenceMatcher(None, small.letters, large.letters, autojunk=False).find_longest_match()
    if len(small.letters) - shared.size > max(HEADLINE_OWN_LETTERS, HEADLINE_OWN_SHARE * len(small.letters)):
        return False
    mine, theirs = ({value for values in found.numbers.values() for value in values} for found in (small, large))
    return not (mine and theirs and mine.isdisjoint(theirs)) and not check_facts(small, large).conflicting


def same_article(first_title: str, first_text: str, second_title: str, second_text: str) -> Verdict:
    """Decide whether two copies are the same article from their whole texts (the band index only
    proposes candidates): the smaller must lie inside the larger (``MIN_SIZE_RATIO``,
    ``MIN_COVERAGE``), with no long stretch of its own (``MAX_GAP_SHARE``), and no number the two
    state at the same place, in the text or the headline, may differ. A copy lacking numbers the other
    gives is compatible: content farms strip years and a cut copy loses the rest."""
    first, second = facts(first_text), facts(second_text)
    found = overlap(first, second)
    checked = check_facts(first, second)
    headlines = check_facts(facts(first_title), facts(second_title))
    checked = FactCheck(
        checked.agreeing + headlines.agreeing,
        checked.conflicting + headlines.conflicting,
        checked.missing_in_first + headlines.missing_in_first,
        checked.missing_in_second + headlines.missing_in_second,
    )
    if found.size_ratio < MIN_SIZE_RATIO or (
        found.size_ratio < SAME_HEADLINE_BELOW and not headlines_agree(first_title, second_title)
    ):
        reason = "too-short"
    elif found.coverage < MIN_COVERAGE:
        reason = "different-text"
    elif found.gap > max(MIN_GAP_LETTERS, MAX_GAP_SHARE * found.smaller):
        reason = "different-core"
    elif checked.conflicting:
        reason = "different-facts"
    else:
        reason = "repost"
    return Verdict(reason == "repost", reason, found, checked)
