#!/usr/bin/env python3
"""An independent RFC 9162 Merkle tree hash, for ward-log's cross-check (hashlib only).

Reads one tree per line on standard input, a JSON list of leaves in hex; prints the tree
head of each, in hex, one per line. The tree of no leaves has the hash of the empty string.
"""

import hashlib
import json
import sys


def mth(leaves):
    """MTH(D[n]) of RFC 9162 section 2.1.1, bottom-up: hash the leaves, then pair levels,
    carrying an odd last node up unchanged (which gives the same tree as the RFC's split at
    the largest power of two below n)."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    level = [hashlib.sha256(b"\x00" + leaf).digest() for leaf in leaves]
    while len(level) > 1:
        paired = [
            hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest()
            for i in range(0, len(level) - 1, 2)
        ]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


for line in sys.stdin:
    leaves = [bytes.fromhex(leaf) for leaf in json.loads(line)]
    print(mth(leaves).hex())
