#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Replay, mangle or forge ESP-over-IPv4 frames for the ikesec selftests.

  esp_pkt.py send IFACE PCAP SEQ[:MUT]...
      resend captured frames (by ESP sequence number, low 32 bits) on IFACE;
      MUT: icv (flip the last byte), trunc (keep the ESP header and 4
      bytes), spi=N (rewrite the SPI)
  esp_pkt.py forge IFACE DSTMAC SRC DST SPI SEQ KEYHEX [badpad|badnh]
      an AES-GCM tunnel-mode ESP packet carrying an ICMP echo from 10.0.1.1
      to 10.0.2.1, with valid ICV; badpad breaks the padding bytes, badnh
      names an impossible next header, badicv flips an ICV bit
"""
import socket
import struct
import sys


def frames(path):
    with open(path, 'rb') as f:
        data = f.read()
    magic = struct.unpack('<I', data[:4])[0]
    end = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
    off = 24
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack(end + 'IIII', data[off:off + 16])
        yield data[off + 16:off + 16 + incl]
        off += 16 + incl


def esp_offset(frame):
    if len(frame) < 34 or frame[12:14] != b'\x08\x00' or frame[23] != 50:
        return None
    return 14 + (frame[14] & 15) * 4


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ipv4(src, dst, proto, payload):
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), 0, 0x4000,
                    64, proto, 0, socket.inet_aton(src),
                    socket.inet_aton(dst))
    h = h[:10] + struct.pack('!H', csum(h)) + h[12:]
    return h + payload


def send(iface, frame):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    s.send(frame)
    s.close()


def cmd_send(iface, pcap, sels):
    byseq = {}
    for fr in frames(pcap):
        o = esp_offset(fr)
        if o is not None and len(fr) >= o + 8:
            byseq.setdefault(struct.unpack('!I', fr[o + 4:o + 8])[0], fr)
    for sel in sels:
        seq, _, mut = sel.partition(':')
        fr = bytearray(byseq[int(seq, 0)])
        o = esp_offset(fr)
        if mut == 'icv':
            fr[-1] ^= 0xff
        elif mut == 'trunc':
            fr = fr[:o + 12]
        elif mut.startswith('spi='):
            fr[o:o + 4] = struct.pack('!I', int(mut[4:], 0))
        if mut == 'trunc':
            ip = fr[14:o]
            ip[2:4] = struct.pack('!H', len(fr) - 14)
            ip[10:12] = b'\0\0'
            ip[10:12] = struct.pack('!H', csum(bytes(ip)))
            fr[14:o] = ip
        send(iface, bytes(fr))


def cmd_forge(iface, dstmac, src, dst, spi, seq, key, how=''):
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    key = bytes.fromhex(key[2:] if key.startswith('0x') else key)
    spi, seq = int(spi, 0), int(seq, 0)
    icmp = struct.pack('!BBHHH', 8, 0, 0, 0x1234, 1) + b'ikesec' * 8
    icmp = icmp[:2] + struct.pack('!H', csum(icmp)) + icmp[4:]
    inner = ipv4('10.0.1.1', '10.0.2.1', 1, icmp)
    padlen = (-(len(inner) + 2)) % 4 or 4
    pad = bytes(range(1, padlen + 1))
    nh = 4
    if how == 'badpad':
        pad = bytes([0x55] * padlen)
    elif how == 'badnh':
        nh = 17
    plain = inner + pad + bytes([padlen, nh])
    iv = struct.pack('!Q', seq)
    hdr = struct.pack('!II', spi, seq)
    ct = AESGCM(key[:-4]).encrypt(key[-4:] + iv, plain, hdr)
    if how == 'badicv':
        ct = ct[:-1] + bytes([ct[-1] ^ 0xff])
    pkt = ipv4(src, dst, 50, hdr + iv + ct)
    mac = bytes.fromhex(dstmac.replace(':', ''))
    send(iface, mac + b'\x02\0\0\0\0\1' + b'\x08\x00' + pkt)


if __name__ == '__main__':
    if sys.argv[1] == 'send':
        cmd_send(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif sys.argv[1] == 'forge':
        cmd_forge(*sys.argv[2:])
    else:
        sys.exit(__doc__)
