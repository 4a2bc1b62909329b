#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Half-open IKE_SA_INIT flood for ike_cookie.sh: COUNT requests to
DST:500, each from a fresh UDP socket (random source port) with a random
SPIi, nonce and X25519 KE (AES-GCM-16-256/PRF-HMAC-SHA2-256/X25519), never
followed by IKE_AUTH. Prints "sent N answered N cookie N sa N other N":
answers carrying a COOKIE notify, carrying an SA payload (state created),
or anything else. With --echo, a COOKIE answer is returned once with a
forged cookie (one bit flipped), which must be refused again."""
import os
import socket
import struct
import sys

PLD_SA, PLD_KE, PLD_NONCE, PLD_NOTIFY = 33, 34, 40, 41
N_COOKIE = 16390


def xform(more, ttype, tid, attr=b""):
    return struct.pack("!BBHBBH", 3 if more else 0, 0, 8 + len(attr),
                       ttype, 0, tid) + attr


def request(spi, cookie=None):
    xf = (xform(True, 1, 20, struct.pack("!HH", 0x800E, 256)) +
          xform(True, 2, 5) + xform(False, 4, 31))
    prop = struct.pack("!BBHBBBB", 0, 0, 8 + len(xf), 1, 1, 0, 3) + xf
    plds = []
    if cookie is not None:
        plds.append((PLD_NOTIFY, struct.pack("!BBH", 0, 0, N_COOKIE) +
                     cookie))
    plds.append((PLD_SA, prop))
    plds.append((PLD_KE, struct.pack("!HH", 31, 0) + os.urandom(32)))
    plds.append((PLD_NONCE, os.urandom(32)))
    body = b""
    for i, (_, data) in enumerate(plds):
        nxt = plds[i + 1][0] if i + 1 < len(plds) else 0
        body += struct.pack("!BBH", nxt, 0, 4 + len(data)) + data
    hdr = spi + b"\0" * 8 + struct.pack("!BBBBII", plds[0][0], 0x20, 34,
                                         0x08, 0, 28 + len(body))
    return hdr + body


def parse(resp):
    """(cookie or None, has SA payload)"""
    if len(resp) < 28:
        return None, False
    nxt, off, cookie, sa = resp[16], 28, None, False
    while nxt and off + 4 <= len(resp):
        cur = nxt
        nxt, _, ln = struct.unpack("!BBH", resp[off:off + 4])
        data = resp[off + 4:off + ln]
        if cur == PLD_SA:
            sa = True
        if cur == PLD_NOTIFY and len(data) >= 4:
            spisz = data[1]
            if struct.unpack("!H", data[2:4])[0] == N_COOKIE:
                cookie = data[4 + spisz:]
        if ln < 4:
            break
        off += ln
    return cookie, sa


def one(dst, echo):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2)
    spi = os.urandom(8)
    s.sendto(request(spi), (dst, 500))
    try:
        cookie, sa = parse(s.recv(4096))
    except socket.timeout:
        s.close()
        return None
    if cookie is not None and echo:
        forged = bytes([cookie[0]]) + bytes([cookie[1] ^ 1]) + cookie[2:]
        s.sendto(request(spi, forged), (dst, 500))
        try:
            cookie, sa = parse(s.recv(4096))
        except socket.timeout:
            cookie, sa = None, False
    s.close()
    return "cookie" if cookie is not None else "sa" if sa else "other"


def main():
    dst, count = sys.argv[1], int(sys.argv[2])
    echo = "--echo" in sys.argv[3:]
    n = {"sent": 0, "answered": 0, "cookie": 0, "sa": 0, "other": 0}
    for _ in range(count):
        n["sent"] += 1
        r = one(dst, echo)
        if r:
            n["answered"] += 1
            n[r] += 1
    print(" ".join("%s %d" % (k, v) for k, v in n.items()))


main()
