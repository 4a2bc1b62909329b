#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Known-answer test of IKEv2 key derivation: RFC 7296 2.13 (prf+), 2.14
(SKEYSEED, SK_*), 2.17 (CHILD SA KEYMAT) and 2.15 (PSK AUTH), written here
from the RFC with Python's hmac/hashlib, compared with ./derive_kat (our
C code). Prints KTAP."""
import hashlib
import hmac
import os
import subprocess
import sys

HASH = {2: hashlib.sha1, 5: hashlib.sha256, 6: hashlib.sha384,
        7: hashlib.sha512}
# (prf, encr, keylen, integ, encr key bytes, integ key bytes)
CASES = [
    (5, 20, 256, 0, 36, 0, "AES_GCM_16_256/PRF_HMAC_SHA2_256"),
    (5, 28, 0, 0, 36, 0, "CHACHA20_POLY1305/PRF_HMAC_SHA2_256"),
    (7, 12, 128, 12, 16, 32, "AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_512"),
    (6, 12, 256, 2, 32, 20, "AES_CBC_256/HMAC_SHA1_96/PRF_HMAC_SHA2_384"),
    (2, 20, 128, 0, 20, 0, "AES_GCM_16_128/PRF_HMAC_SHA1"),
]


def prf(h, key, data):
    return hmac.new(key, data, h).digest()


def prf_plus(h, key, seed, n):
    out, t, i = b"", b"", 1
    while len(out) < n:
        t = prf(h, key, t + seed + bytes([i]))
        out += t
        i += 1
    return out[:n]


def expected(case, shared, ni, nr, spii, spir, psk, msg, ident):
    p, _, _, _, elen, alen, _ = case
    h = HASH[p]
    plen = h().digest_size
    skeyseed = prf(h, ni + nr, shared)
    km = prf_plus(h, skeyseed, ni + nr + spii + spir,
                  3 * plen + 2 * alen + 2 * elen)
    out, o = {}, 0
    for name, n in (("SK_d", plen), ("SK_ai", alen), ("SK_ar", alen),
                    ("SK_ei", elen), ("SK_er", elen), ("SK_pi", plen),
                    ("SK_pr", plen)):
        out[name] = km[o:o + n]
        o += n
    out["KEYMAT"] = prf_plus(h, out["SK_d"], ni + nr, 72)
    id_body = bytes([2, 0, 0, 0]) + ident        # ID_FQDN
    signed = msg + nr + prf(h, out["SK_pi"], id_body)
    out["AUTH_i"] = prf(h, prf(h, psk, b"Key Pad for IKEv2"), signed)
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    print("TAP version 13")
    print("1..%d" % len(CASES))
    failed = 0
    for n, case in enumerate(CASES, 1):
        shared = os.urandom(256)
        ni, nr = os.urandom(32), os.urandom(48)
        spii, spir = os.urandom(8), os.urandom(8)
        psk, msg, ident = os.urandom(20), os.urandom(300), b"moon.example"
        args = [os.path.join(here, "derive_kat")] + [str(x) for x in case[:4]]
        args += [x.hex() for x in (shared, ni, nr, spii, spir, psk, msg,
                                   ident)]
        res = subprocess.run(args, capture_output=True, text=True)
        got = dict(line.split("=", 1) for line in res.stdout.split())
        want = expected(case, shared, ni, nr, spii, spir, psk, msg, ident)
        bad = [k for k, v in want.items() if got.get(k) != v.hex()]
        if res.returncode or bad:
            failed = 1
            print("# mismatch in %s (rc %d)" % (", ".join(bad) or "-",
                                                res.returncode))
            print("not ok %d key derivation %s" % (n, case[6]))
        else:
            print("ok %d key derivation %s" % (n, case[6]))
    sys.exit(failed)


if __name__ == "__main__":
    main()
