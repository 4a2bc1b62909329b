#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Malformed IKEv2 (RFC 7296) messages for ike_malformed.sh: an attacker
with a UDP socket, nothing else (python3 stdlib only).

  ike_craft.py init DST CASE...
      for each case, send an IKE_SA_INIT request variant (or a follow-up
      on a half-open SA) to DST port 500 from an ephemeral port and print
      what came back within 1.5 s, one line "CASE: silence" or "CASE:
      response exch=34 ver=0x20 flags=0x20 msgid=0 spir=... len=N
      pl=SA,KE,NONCE,N(16388)" (with "data=HEX" for the first notify).
  ike_craft.py capture IFACE FILE
      write every IKE datagram (UDP 500/4500) seen on IFACE to FILE, one
      line "SRC SPORT DST DPORT HEX", until killed.
  ike_craft.py replay IFACE FILE EXCH [--msgid N] [--flip] [--listen S]
      resend the first captured request of exchange EXCH (as a number) to
      where it went, optionally with another message ID and/or one bit of
      its last byte flipped (the ICV), and print the IKE responses seen on
      IFACE within S seconds coming from that address: "silence" or
      "response exch=35 msgid=1 len=N" (one line per response).

Cases: see CASES below. Exit status 0 unless the arguments are wrong.
"""
import os
import select
import socket
import struct
import sys
import time

IKE_SA_INIT, IKE_AUTH = 34, 35
F_INITIATOR, F_RESPONSE = 0x08, 0x20
PLD = {33: "SA", 34: "KE", 35: "IDi", 36: "IDr", 37: "CERT", 38: "CERTREQ",
       39: "AUTH", 40: "NONCE", 41: "N", 42: "D", 43: "V", 44: "TSi",
       45: "TSr", 46: "SK", 47: "CP", 48: "EAP"}
UNKNOWN_TYPE = 250	# unassigned (RFC 7296 3.2: 49-127 unassigned, 128+ private)


def hdr(spi_i, spi_r, nxt, exch, flags, msgid, length, ver=0x20):
    return struct.pack("!8s8sBBBBII", spi_i, spi_r, nxt, ver, exch, flags,
                       msgid, length)


def chain(payloads):
    """[(type, body, critical)] -> (first type, bytes)"""
    out = b""
    for i, (t, body, crit) in enumerate(payloads):
        nxt = payloads[i + 1][0] if i + 1 < len(payloads) else 0
        out += struct.pack("!BBH", nxt, 0x80 if crit else 0,
                           4 + len(body)) + body
    return (payloads[0][0] if payloads else 0), out


def xform(last, typ, tid, attrs=b""):
    return struct.pack("!BBHBBH", 0 if last else 3, 0, 8 + len(attrs), typ,
                       0, tid) + attrs


def sa_body():
    # aes256gcm16-prfsha256-x25519 (ENCR 20 + Key Length 256, PRF 5, DH 31)
    xf = (xform(False, 1, 20, struct.pack("!HH", 0x800e, 256)) +
          xform(False, 2, 5) + xform(True, 4, 31))
    return struct.pack("!BBHBBBB", 0, 0, 8 + len(xf), 1, 1, 0, 3) + xf


def ke_body():
    return struct.pack("!HH", 31, 0) + os.urandom(32)


def sa_init(spi_i, payloads, **kw):
    first, body = chain(payloads)
    return hdr(spi_i, kw.get("spi_r", bytes(8)), first, IKE_SA_INIT,
               kw.get("flags", F_INITIATOR), kw.get("msgid", 0),
               28 + len(body), kw.get("ver", 0x20)) + body


def std_payloads():
    return [(33, sa_body(), False), (34, ke_body(), False),
            (40, os.urandom(32), False)]


def sk_request(spi_i, spi_r, msgid, exch=IKE_AUTH):
    """An SK payload of the right shape with garbage inside: IV 8,
    ciphertext 48, ICV 16 (AES-GCM-16)."""
    first, body = chain([(46, os.urandom(8 + 48 + 16), False)])
    # the SK payload's next-payload names the first inner payload (IDi)
    body = bytes([35]) + body[1:]
    return hdr(spi_i, spi_r, first, exch, F_INITIATOR, msgid,
               28 + len(body)) + body


def case_msgs(case):
    """Datagrams to send for a case (a function of the previous response
    for the cases that follow up on a half-open SA)."""
    spi = os.urandom(8)
    good = sa_init(spi, std_payloads())
    p = std_payloads()
    if case == "ok":
        return [good]
    if case == "trunc-hdr":
        return [good[:20]]
    if case == "len-long":
        return [good[:24] + struct.pack("!I", len(good) + 16) + good[28:]]
    if case == "len-short":
        return [good[:24] + struct.pack("!I", len(good) - 8) + good[28:]]
    if case == "pld-past-end":
        m = bytearray(good)
        # the last payload (Nonce) claims 40 bytes more than there are
        off = len(m) - 36
        struct.pack_into("!H", m, off + 2, 36 + 40)
        return [bytes(m)]
    if case == "crit-unknown":
        return [sa_init(spi, p[:1] + [(UNKNOWN_TYPE, b"\0" * 4, True)] +
                        p[1:])]
    if case == "noncrit-unknown":
        return [sa_init(spi, p[:1] + [(UNKNOWN_TYPE, b"\0" * 4, False)] +
                        p[1:])]
    if case == "dup-sa":
        return [sa_init(spi, p[:1] + p)]
    if case == "dup-ke":
        return [sa_init(spi, p[:2] + [(34, ke_body(), False)] + p[2:])]
    if case == "dup-nonce":
        return [sa_init(spi, p + [(40, os.urandom(32), False)])]
    if case == "no-ke":
        return [sa_init(spi, [p[0], p[2]])]
    if case == "ke-short":
        return [sa_init(spi, [p[0], (34, ke_body()[:-1], False), p[2]])]
    if case == "major-3":
        return [sa_init(spi, p, ver=0x30)]
    if case == "spir-nonzero":
        return [sa_init(spi, p, spi_r=os.urandom(8))]
    if case == "msgid-nonzero":
        return [sa_init(spi, p, msgid=1)]
    if case == "init-as-response":
        return [sa_init(spi, p, flags=F_RESPONSE)]
    if case == "auth-unknown-spi":
        return [sk_request(spi, os.urandom(8), 1)]
    if case in ("auth-window", "auth-badicv"):
        msgid = 7 if case == "auth-window" else 1
        return [good, lambda spir: sk_request(spi, spir, msgid)]
    raise SystemExit("unknown case `%s'" % case)


CASES = ["ok", "trunc-hdr", "len-long", "len-short", "pld-past-end",
         "crit-unknown", "noncrit-unknown", "dup-sa", "dup-ke", "dup-nonce",
         "no-ke", "ke-short", "major-3", "spir-nonzero", "msgid-nonzero", "init-as-response",
         "auth-unknown-spi", "auth-window", "auth-badicv"]


def describe(d):
    if len(d) < 28:
        return "response short=%d" % len(d)
    spi_i, spi_r, nxt, ver, exch, flags, msgid, length = \
        struct.unpack("!8s8sBBBBII", d[:28])
    s = "response exch=%d ver=0x%02x flags=0x%02x msgid=%d spir=%s len=%d" % (
        exch, ver, flags, msgid, spi_r.hex(), length)
    names, data, off = [], None, 28
    while nxt and off + 4 <= len(d):
        n2, _, plen = struct.unpack("!BBH", d[off:off + 4])
        body = d[off + 4:off + plen]
        if nxt == 41 and len(body) >= 4:
            ntype = struct.unpack("!H", body[2:4])[0]
            names.append("N(%d)" % ntype)
            if data is None:
                data = body[4 + body[1]:].hex()
        else:
            names.append(PLD.get(nxt, str(nxt)))
        if nxt == 46 or plen < 4:
            break
        nxt, off = n2, off + plen
    s += " pl=" + ",".join(names)
    if data is not None:
        s += " data=" + (data or "-")
    return s


def run_case(case, dst, port, wait):
    fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.connect((dst, port))
    last = None
    for m in case_msgs(case):
        if callable(m):
            if not last or len(last) < 28:
                return "no IKE_SA_INIT response to follow up on"
            m = m(last[8:16])
        s.send(m)
        last = None
        r, _, _ = select.select([s], [], [], wait)
        if r:
            try:
                last = s.recv(65535)
            except ConnectionRefusedError:
                return "port unreachable"
    s.close()
    return describe(last) if last else "silence"


def cmd_init(dst, cases, wait=1.5):
    """One line per case, "CASE: RESULT"; silence = nothing in wait s."""
    for case in cases:
        print("%s: %s" % (case, run_case(case, dst, 500, wait)), flush=True)
    return 0


def sniff_socket(iface):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
    s.bind((iface, 0))
    return s


def udp_of(frame):
    """(src, sport, dst, dport, payload) of an IPv4/IPv6 UDP frame to or
    from port 500/4500, else None."""
    et = struct.unpack("!H", frame[12:14])[0]
    if et == 0x0800:
        ihl = (frame[14] & 15) * 4
        if frame[23] != 17:
            return None
        src = socket.inet_ntop(socket.AF_INET, frame[26:30])
        dst = socket.inet_ntop(socket.AF_INET, frame[30:34])
        u = 14 + ihl
    elif et == 0x86dd:
        if frame[20] != 17:
            return None
        src = socket.inet_ntop(socket.AF_INET6, frame[22:38])
        dst = socket.inet_ntop(socket.AF_INET6, frame[38:54])
        u = 54
    else:
        return None
    sport, dport, ulen = struct.unpack("!HHH", frame[u:u + 6])
    if not {sport, dport} & {500, 4500}:
        return None
    return src, sport, dst, dport, frame[u + 8:u + ulen]


def cmd_capture(iface, path):
    s = sniff_socket(iface)
    with open(path, "a") as f:
        while True:
            frame, addr = s.recvfrom(65535)
            u = udp_of(frame)
            if u:
                f.write("%s %d %s %d %s\n" % (u[0], u[1], u[2], u[3],
                                               u[4].hex()))
                f.flush()


def ike_part(dport, data):
    if dport == 4500 or (len(data) >= 4 and data[:4] == bytes(4)):
        return data[4:]
    return data


def cmd_replay(iface, path, exch, msgid, flip, listen):
    with open(path) as f:
        for line in f:
            src, sport, dst, dport, hx = line.split()
            data = bytes.fromhex(hx)
            ike = ike_part(int(dport), data)
            if len(ike) >= 28 and ike[18] == exch and \
               not ike[19] & F_RESPONSE:
                break
        else:
            print("no request of exchange %d captured" % exch)
            return 0
    marker = data[:len(data) - len(ike)]
    m = bytearray(ike)
    if msgid is not None:
        struct.pack_into("!I", m, 20, msgid)
    if flip:
        m[-1] ^= 0x01
    sn = sniff_socket(iface)
    fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.sendto(marker + bytes(m), (dst, int(dport)))
    seen = []
    end = time.time() + listen
    while time.time() < end:
        r, _, _ = select.select([sn], [], [], end - time.time())
        if not r:
            break
        frame = sn.recv(65535)
        u = udp_of(frame)
        if not u or u[0] != dst or u[1] != int(dport):
            continue
        d = ike_part(u[1], u[4])
        if len(d) >= 28 and d[19] & F_RESPONSE:
            seen.append("response exch=%d msgid=%d len=%d" % (
                d[18], struct.unpack("!I", d[20:24])[0], len(d)))
    print("\n".join(seen) if seen else "silence")
    return 0


def main(argv):
    if len(argv) >= 4 and argv[1] == "init":
        return cmd_init(argv[2], argv[3:])
    if len(argv) == 4 and argv[1] == "capture":
        return cmd_capture(argv[2], argv[3])
    if len(argv) >= 5 and argv[1] == "replay":
        msgid, flip, listen, rest = None, False, 2.0, argv[5:]
        while rest:
            if rest[0] == "--msgid":
                msgid, rest = int(rest[1]), rest[2:]
            elif rest[0] == "--flip":
                flip, rest = True, rest[1:]
            elif rest[0] == "--listen":
                listen, rest = float(rest[1]), rest[2:]
            else:
                raise SystemExit("unknown option `%s'" % rest[0])
        return cmd_replay(argv[2], argv[3], int(argv[4]), msgid, flip,
                          listen)
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
