#!/usr/bin/env python3
"""Writes lib/wire/tokens_generated.cc from the WABinary token dictionaries.

The tables are facts of the protocol. They come from JSON dumps of the real
implementations (tests/conformance/tokens/wabinary-tokens-v{2,3}.json; format:
dict_version, single_byte[236], double_byte[4][256]). The output is committed,
so building wacrm needs neither Python nor Node.

Besides the forward tables (byte -> string) it emits, per dictionary version, an
open-addressing hash table (string -> token) so the encoder finds a token with
one FNV-1a hash and, at our load factor, usually one comparison. The hash and
the probing rule here must match lib/wire/tokens.cc.

Usage: scripts/gen_wire_tokens.py [--v2 FILE] [--v3 FILE] [--out FILE]
"""

import argparse
import json
import pathlib
import sys

SINGLE_BYTE_COUNT = 236
DOUBLE_BYTE_DICTS = 4
DOUBLE_BYTE_COUNT = 256
LOOKUP_SLOTS = 4096          # power of two, ~30 % load with 1259 tokens
EMPTY_SLOT = 0xFFFF
DOUBLE_BYTE_ID_BASE = 256    # token id = index (single) or 256 + dict*256 + index


def fnv1a32(data: bytes) -> int:
    h = 0x811C9DC5
    for b in data:
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def load(path: pathlib.Path, expected_version: int):
    with path.open(encoding="utf-8") as f:
        doc = json.load(f)
    if doc.get("dict_version") != expected_version:
        sys.exit(f"{path}: dict_version is {doc.get('dict_version')!r}, expected {expected_version}")
    single = doc["single_byte"]
    double = doc["double_byte"]
    if len(single) != SINGLE_BYTE_COUNT:
        sys.exit(f"{path}: {len(single)} single-byte tokens, expected {SINGLE_BYTE_COUNT}")
    if len(double) != DOUBLE_BYTE_DICTS or any(len(d) != DOUBLE_BYTE_COUNT for d in double):
        sys.exit(f"{path}: double-byte tables must be {DOUBLE_BYTE_DICTS} x {DOUBLE_BYTE_COUNT}")
    if single[0] not in ("", None):
        sys.exit(f"{path}: single_byte[0] must be empty (byte 0 is LIST_EMPTY)")
    single = [""] + list(single[1:])
    tokens = {}
    for i, t in enumerate(single[1:], start=1):
        tokens.setdefault(t, []).append(i)
    for d, table in enumerate(double):
        for i, t in enumerate(table):
            tokens.setdefault(t, []).append(DOUBLE_BYTE_ID_BASE + d * DOUBLE_BYTE_COUNT + i)
    dupes = {t: ids for t, ids in tokens.items() if len(ids) > 1}
    if dupes:
        sys.exit(f"{path}: tokens listed twice: {sorted(dupes)[:5]}")
    if "" in tokens:
        sys.exit(f"{path}: an empty string is listed as a token")
    return single, double, {t: ids[0] for t, ids in tokens.items()}


def build_lookup(tokens):
    slots = [EMPTY_SLOT] * LOOKUP_SLOTS
    longest_probe = 0
    # Insert in token-id order so the output is deterministic.
    for text, token_id in sorted(tokens.items(), key=lambda kv: kv[1]):
        slot = fnv1a32(text.encode("utf-8")) & (LOOKUP_SLOTS - 1)
        probe = 1
        while slots[slot] != EMPTY_SLOT:
            slot = (slot + 1) & (LOOKUP_SLOTS - 1)
            probe += 1
        slots[slot] = token_id
        longest_probe = max(longest_probe, probe)
    return slots, longest_probe


def cxx_string(s: str) -> str:
    out = []
    for b in s.encode("utf-8"):
        c = chr(b)
        if c in '"\\':
            out.append("\\" + c)
        elif 0x20 <= b < 0x7F:
            out.append(c)
        else:
            out.append(f"\\x{b:02x}\"\"")  # split so the next char is not read as hex
    return '"' + "".join(out) + '"'


def emit_string_rows(names, per_line=6):
    lines = []
    for i in range(0, len(names), per_line):
        lines.append("    " + ", ".join(cxx_string(n) + "sv" for n in names[i:i + per_line]) + ",")
    return lines


def emit_version(version, single, double, tokens):
    slots, longest_probe = build_lookup(tokens)
    v = f"V{version}"
    out = [f"// ---- dictionary version {version} ----", ""]
    out.append(f"constexpr std::string_view k{v}Single[kSingleByteTokenCount] = {{")
    out += emit_string_rows(single)
    out.append("};")
    out.append("")
    out.append(f"constexpr std::string_view k{v}Double[kDoubleByteDictionaryCount][kDoubleByteTokenCount] = {{")
    for d in range(DOUBLE_BYTE_DICTS):
        out.append("  {")
        out += ["  " + line for line in emit_string_rows(double[d])]
        out.append("  },")
    out.append("};")
    out.append("")
    out.append(f"// {len(tokens)} tokens in {LOOKUP_SLOTS} slots; longest probe: {longest_probe}.")
    out.append(f"constexpr std::uint16_t k{v}Lookup[kTokenLookupSlots] = {{")
    for i in range(0, LOOKUP_SLOTS, 16):
        out.append("    " + ", ".join(f"0x{s:04x}" for s in slots[i:i + 16]) + ",")
    out.append("};")
    out.append("")
    return out, v


def main():
    root = pathlib.Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--v2", type=pathlib.Path,
                        default=root / "tests/conformance/tokens/wabinary-tokens-v2.json")
    parser.add_argument("--v3", type=pathlib.Path,
                        default=root / "tests/conformance/tokens/wabinary-tokens-v3.json")
    parser.add_argument("--out", type=pathlib.Path, default=root / "lib/wire/tokens_generated.cc")
    args = parser.parse_args()

    out = [
        "// Generated by scripts/gen_wire_tokens.py from the WABinary token dictionaries",
        "// (tests/conformance/tokens/wabinary-tokens-v2.json and -v3.json). Do not edit;",
        "// re-run the script instead.",
        "#include \"wire/token_tables.h\"",
        "",
        "namespace wacrm::wire::detail {",
        "namespace {",
        "",
        "using namespace std::string_view_literals;",
        "",
    ]
    names = []
    for version, path in ((2, args.v2), (3, args.v3)):
        single, double, tokens = load(path, version)
        lines, name = emit_version(version, single, double, tokens)
        out += lines
        names.append(name)
    out.append("}  // namespace")
    out.append("")
    for name in names:
        out.append(f"const TokenTables k{name}Tables = {{k{name}Single, k{name}Double, k{name}Lookup}};")
    out.append("")
    out.append("}  // namespace wacrm::wire::detail")
    args.out.write_text("\n".join(out) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
