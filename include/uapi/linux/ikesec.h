/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR MIT) */
/*
 * ikesec — ESP (RFC 4303) for Linux, driven over the generic netlink
 * family "ikesec". This header is the specification of that interface.
 *
 * Versioning: IKESEC_GENL_VERSION is bumped only for incompatible changes.
 * New attributes and commands are appended; a number is never reused.
 * Userspace reads IKESEC_A_VERSION from IKESEC_CMD_GET_INFO.
 *
 * Permission: every command needs CAP_NET_ADMIN in the user namespace that
 * owns the caller's network namespace (GENL_UNS_ADMIN_PERM). All state (SAD,
 * SPD, counters) is per network namespace.
 *
 * Errors: every rejection sets an extack message naming the attribute and the
 * reason, and the request changes nothing. Common errors:
 *   -EINVAL      malformed or inconsistent attributes
 *   -ENOENT      no such SA / policy
 *   -ENOSPC      SPI_ALLOC: no free SPI in the range
 *   -EEXIST      SA with that identity (direction, SPI, peer) already exists
 *   -EOPNOTSUPP  algorithm or feature not supported by this kernel
 *   -EPERM       missing CAP_NET_ADMIN
 *
 * Commands (request attributes -> reply):
 *
 * IKESEC_CMD_GET_INFO       -> IKESEC_A_VERSION, IKESEC_A_STATS (netns),
 *                              IKESEC_A_SA_COUNT, IKESEC_A_POLICY_COUNT
 * IKESEC_CMD_SA_NEW         IKESEC_A_SA { identity, algorithms, keys, ... }
 * IKESEC_CMD_SA_SET         IKESEC_A_SA { identity, lifetimes, encap ports,
 *                              peer address }: update a live SA
 * IKESEC_CMD_SA_DEL         IKESEC_A_SA { identity }
 * IKESEC_CMD_SA_GET         doit: IKESEC_A_SA { identity } -> one SA
 *                           dumpit: all SAs of the netns, one message each
 * IKESEC_CMD_SA_FLUSH       (nothing): delete every SA of the netns
 * IKESEC_CMD_SPI_ALLOC      IKESEC_A_SPI_MIN, IKESEC_A_SPI_MAX (optional)
 *                              -> IKESEC_A_SA { SPI }: an inbound SPI that no
 *                              inbound SA uses, reserved until an SA_NEW with
 *                              it or IKESEC_SPI_RESERVE_SECONDS pass
 * IKESEC_CMD_POLICY_NEW     IKESEC_A_POLICY { ... } -> IKESEC_A_POLICY { ID,
 *                              ... }: the policy as stored
 * IKESEC_CMD_POLICY_DEL     IKESEC_A_POLICY { ID }
 * IKESEC_CMD_POLICY_GET     doit: IKESEC_A_POLICY { ID } -> one policy
 *                           dumpit: all policies, one message each
 * IKESEC_CMD_POLICY_FLUSH   (nothing)
 * IKESEC_CMD_ENCAP_ATTACH   IKESEC_A_ENCAP_FD: hand the module a UDP socket
 *                              of the caller (an IKE daemon's port 4500,
 *                              bound, IPv4 or IPv6, same netns) for ESP in
 *                              UDP (RFC 3948). ESP arriving on it goes to the
 *                              module; IKE (non-ESP marker) stays on the
 *                              socket for the daemon to read, marker
 *                              included; NAT keepalives are dropped; other
 *                              datagrams are counted in IN_NATT_DROPS. An
 *                              IPv6 socket without IPV6_V6ONLY serves IPv4
 *                              too. The socket stays the caller's: closing
 *                              it detaches it (the port is then free for a
 *                              new attach or the module's own socket), and
 *                              if the module unloads first it becomes a
 *                              plain UDP socket again. Errors:
 *                              -EBADF       not an open fd of the caller
 *                              -ENOTSOCK    not a socket
 *                              -EPROTONOSUPPORT not UDP over IPv4/IPv6
 *                              -EXDEV       socket of another netns
 *                              -EINVAL      not bound to a port
 *                              -EADDRINUSE  the module already serves that
 *                                           port and family with its own
 *                                           socket or an attached one
 *                              -EBUSY       the socket already has UDP
 *                                           encapsulation (UDP_ENCAP)
 *                              Encapsulated SAs on a port with no attached
 *                              socket make the module open its own.
 *
 * Events, multicast on group IKESEC_MCGRP_EVENTS:
 * IKESEC_CMD_ACQUIRE        IKESEC_A_POLICY { ID, DIR, TEMPLATE },
 *                              IKESEC_A_SELECTOR (the packet that hit it);
 *                              once per policy until an SA appears or
 *                              IKESEC_ACQUIRE_RETRY_SECONDS pass
 * IKESEC_CMD_EXPIRE         IKESEC_A_SA { identity, CURLIFE },
 *                              IKESEC_A_EXPIRE_HARD (flag) when the SA is
 *                              removed, absent for a soft expiry
 * IKESEC_CMD_MAPPING        IKESEC_A_SA { identity, PEER_IPV4/6,
 *                              ENCAP_DPORT }: a NAT-T SA saw authenticated
 *                              packets from a new peer address or port;
 *                              at most one per SA per second
 *
 * In ACQUIRE, IKESEC_A_SELECTOR is the packet itself: host prefixes, its
 * protocol, and single-port ranges (ICMP: type and code). Events are sent
 * in the network namespace of the SA or policy.
 *
 * SA identity: IKESEC_SA_A_DIR, IKESEC_SA_A_SPI, and for outbound SAs the
 * peer address (IKESEC_SA_A_PEER_IPV4 or _IPV6). Inbound SPIs are unique per
 * netns; that is what makes the inbound lookup a single hash probe.
 *
 * SA_NEW: DIR, SPI, MODE, LOCAL_IPV4/6 and PEER_IPV4/6 (one family), ENC_ALG
 * and ENC_KEY are required; SELECTOR is optional (absent: any traffic).
 * An inbound SA_NEW consumes the SPI_ALLOC reservation of its SPI.
 *
 * SA_SET: the identity, then any of LIFETIME_SOFT, LIFETIME_HARD (replace
 * the limits; usage so far counts against the new ones, and a new soft
 * limit is reported again), ENCAP_SPORT, ENCAP_DPORT (both needed if the SA
 * had no UDP encapsulation), NEW_PEER_IPV4/6 (same family as the SA; for an
 * outbound SA this changes its identity: -EEXIST if taken). Any other SA
 * attribute is refused (-EINVAL): keys and algorithms never change, a new
 * SA is added instead. An SA past its hard lifetime is -ENOENT.
 *
 * SPI_ALLOC: SPI_MIN defaults to 256, SPI_MAX to 0xffffffff; a random free
 * SPI of the range is returned, -ENOSPC when the range has none.
 *
 * Lifetimes: soft and hard, each bytes (inner), packets and seconds since
 * the SA was added; 0 is unlimited. Reaching a soft limit sends one EXPIRE;
 * reaching a hard limit sends EXPIRE with EXPIRE_HARD and removes the SA.
 * SA replies carry CURLIFE (bytes, packets, seconds so far).
 *
 * Policies (POLICY_NEW): DIR and ACTION required; PRIORITY defaults to 0;
 * SELECTOR absent matches every packet. PROTECT needs TEMPLATE with MODE;
 * BYPASS and DISCARD refuse one. Tunnel mode templates need both
 * LOCAL_IPV4/6 and PEER_IPV4/6, transport mode templates take neither.
 * ID is assigned by the kernel and refused in POLICY_NEW. Lookup: the
 * lowest PRIORITY wins; on a tie the more specific selector (longer
 * prefixes, then a PROTO, then narrowed ports), then the older policy.
 * Replies carry HITS, the packets that matched.
 *
 * Selectors: SRC and DST addresses are IPv4 or IPv6, one family for both;
 * an address without PREFIXLEN is a host (/32, /128), a PREFIXLEN needs its
 * address, host bits beyond the prefix are cleared. Port ranges: MIN
 * defaults to 0, MAX to MIN if MIN is given, else 65535; ports need PROTO.
 * For ICMP and ICMPv6 (as XFRM) the SPORT range is the type and the DPORT
 * range the code, each <= 255.
 *
 * Dumps: one message per object; a dump interrupted by a change is flagged
 * NLM_F_DUMP_INTR and should be retried. Policies are dumped by rising ID.
 *
 * Integers are host byte order unless named _BE; addresses are network order.
 */
#ifndef _UAPI_LINUX_IKESEC_H
#define _UAPI_LINUX_IKESEC_H

#define IKESEC_GENL_NAME	"ikesec"
#define IKESEC_GENL_VERSION	1
#define IKESEC_MCGRP_EVENTS	"events"

#define IKESEC_REPLAY_WINDOW_MAX	4096
#define IKESEC_SPI_RESERVE_SECONDS	60
#define IKESEC_ACQUIRE_RETRY_SECONDS	5

enum ikesec_cmd {
	IKESEC_CMD_UNSPEC,
	IKESEC_CMD_GET_INFO,
	IKESEC_CMD_SA_NEW,
	IKESEC_CMD_SA_SET,
	IKESEC_CMD_SA_DEL,
	IKESEC_CMD_SA_GET,
	IKESEC_CMD_SA_FLUSH,
	IKESEC_CMD_SPI_ALLOC,
	IKESEC_CMD_POLICY_NEW,
	IKESEC_CMD_POLICY_DEL,
	IKESEC_CMD_POLICY_GET,
	IKESEC_CMD_POLICY_FLUSH,
	IKESEC_CMD_ACQUIRE,
	IKESEC_CMD_EXPIRE,
	IKESEC_CMD_MAPPING,
	IKESEC_CMD_ENCAP_ATTACH,

	__IKESEC_CMD_MAX,
	IKESEC_CMD_MAX = __IKESEC_CMD_MAX - 1
};

/* Top-level attributes. */
enum ikesec_attr {
	IKESEC_A_UNSPEC,
	IKESEC_A_VERSION,	/* u32, reply only */
	IKESEC_A_SA,		/* nest, enum ikesec_sa_attr */
	IKESEC_A_POLICY,	/* nest, enum ikesec_pol_attr */
	IKESEC_A_STATS,		/* nest, enum ikesec_stat (u64 each) */
	IKESEC_A_SA_COUNT,	/* u32, reply only */
	IKESEC_A_POLICY_COUNT,	/* u32, reply only */
	IKESEC_A_SPI_MIN,	/* u32, >= 256 (RFC 4303 2.1) */
	IKESEC_A_SPI_MAX,	/* u32, >= SPI_MIN */
	IKESEC_A_SELECTOR,	/* nest, enum ikesec_sel_attr (events) */
	IKESEC_A_EXPIRE_HARD,	/* flag (events) */
	IKESEC_A_PAD,
	IKESEC_A_ENCAP_FD,	/* u32, a socket fd of the caller (ENCAP_ATTACH) */

	__IKESEC_A_MAX,
	IKESEC_A_MAX = __IKESEC_A_MAX - 1
};

enum ikesec_dir {
	IKESEC_DIR_IN = 1,
	IKESEC_DIR_OUT = 2,
	IKESEC_DIR_FWD = 3,	/* policies only */
};

enum ikesec_mode {
	IKESEC_MODE_TRANSPORT = 1,
	IKESEC_MODE_TUNNEL = 2,
};

/*
 * Encryption transforms. Key lengths include the salt/nonce where the
 * transform has one (RFC 4106 4, RFC 7634 2).
 */
enum ikesec_enc {
	IKESEC_ENC_AES_GCM_16 = 1,	   /* key 16+4 or 32+4 bytes, ICV 16 */
	IKESEC_ENC_CHACHA20_POLY1305 = 2,  /* key 32+4 bytes, ICV 16 */
	IKESEC_ENC_AES_CBC = 3,		   /* key 16 or 32; needs AUTH_ALG */
};

/* Integrity transforms, for IKESEC_ENC_AES_CBC only. */
enum ikesec_auth {
	IKESEC_AUTH_NONE = 0,
	IKESEC_AUTH_HMAC_SHA256_128 = 1,   /* key 32 bytes, ICV 16 */
	IKESEC_AUTH_HMAC_SHA1_96 = 2,	   /* key 20 bytes, ICV 12 */
};

enum ikesec_sa_flags {
	IKESEC_SA_F_ESN = 1U << 0,	/* 64-bit sequence numbers (RFC 4304) */

	__IKESEC_SA_F_ALL = IKESEC_SA_F_ESN
};

/* IKESEC_A_SA */
enum ikesec_sa_attr {
	IKESEC_SA_A_UNSPEC,
	IKESEC_SA_A_DIR,		/* u8, enum ikesec_dir (IN or OUT) */
	IKESEC_SA_A_SPI,		/* u32, >= 256 */
	IKESEC_SA_A_MODE,		/* u8, enum ikesec_mode */
	IKESEC_SA_A_LOCAL_IPV4,		/* 4 bytes: our end (tunnel/outer) */
	IKESEC_SA_A_LOCAL_IPV6,		/* 16 bytes */
	IKESEC_SA_A_PEER_IPV4,		/* 4 bytes: the peer's end */
	IKESEC_SA_A_PEER_IPV6,		/* 16 bytes */
	IKESEC_SA_A_ENC_ALG,		/* u16, enum ikesec_enc */
	IKESEC_SA_A_ENC_KEY,		/* binary, 16..36 bytes, write only */
	IKESEC_SA_A_AUTH_ALG,		/* u16, enum ikesec_auth */
	IKESEC_SA_A_AUTH_KEY,		/* binary, 20..64 bytes, write only */
	IKESEC_SA_A_FLAGS,		/* u32, enum ikesec_sa_flags */
	IKESEC_SA_A_REPLAY_WINDOW,	/* u32, 0..IKESEC_REPLAY_WINDOW_MAX
					 * packets; 0 disables anti-replay */
	IKESEC_SA_A_SEQ,		/* u64: out = last sequence number sent,
					 * in = highest received (tests, resync) */
	IKESEC_SA_A_REQID,		/* u32: binds SA to policy templates */
	IKESEC_SA_A_ENCAP_SPORT,	/* u16: ESP-in-UDP (RFC 3948) local port */
	IKESEC_SA_A_ENCAP_DPORT,	/* u16: ESP-in-UDP peer port */
	IKESEC_SA_A_LIFETIME_SOFT,	/* nest, enum ikesec_lifetime_attr */
	IKESEC_SA_A_LIFETIME_HARD,	/* nest, enum ikesec_lifetime_attr */
	IKESEC_SA_A_CURLIFE,		/* nest, enum ikesec_lifetime_attr,
					 * reply only: what has been used */
	IKESEC_SA_A_SELECTOR,		/* nest, enum ikesec_sel_attr: inner
					 * traffic this SA may carry (inbound
					 * packets are checked against it) */
	IKESEC_SA_A_STATS,		/* nest, enum ikesec_sa_stat, reply only */
	IKESEC_SA_A_PAD,
	IKESEC_SA_A_NEW_PEER_IPV4,	/* 4 bytes, SA_SET only: move the peer */
	IKESEC_SA_A_NEW_PEER_IPV6,	/* 16 bytes, SA_SET only */
	IKESEC_SA_A_ENC_KEY_BITS,	/* u16, reply only: cipher key size in
					 * bits, salt excluded */
	IKESEC_SA_A_AUTH_KEY_BITS,	/* u16, reply only: 0 for AEADs */

	__IKESEC_SA_A_MAX,
	IKESEC_SA_A_MAX = __IKESEC_SA_A_MAX - 1
};

enum ikesec_lifetime_attr {
	IKESEC_LT_A_UNSPEC,
	IKESEC_LT_A_BYTES,	/* u64, 0 = unlimited */
	IKESEC_LT_A_PACKETS,	/* u64, 0 = unlimited */
	IKESEC_LT_A_SECONDS,	/* u64 since the SA was added, 0 = unlimited */
	IKESEC_LT_A_PAD,

	__IKESEC_LT_A_MAX,
	IKESEC_LT_A_MAX = __IKESEC_LT_A_MAX - 1
};

/* Traffic selector. A missing address matches any of that family's. */
enum ikesec_sel_attr {
	IKESEC_SEL_A_UNSPEC,
	IKESEC_SEL_A_SRC_IPV4,		/* 4 bytes */
	IKESEC_SEL_A_SRC_IPV6,		/* 16 bytes */
	IKESEC_SEL_A_SRC_PREFIXLEN,	/* u8, <= 32 or 128 */
	IKESEC_SEL_A_DST_IPV4,
	IKESEC_SEL_A_DST_IPV6,
	IKESEC_SEL_A_DST_PREFIXLEN,
	IKESEC_SEL_A_PROTO,		/* u8, 0 = any */
	IKESEC_SEL_A_SPORT_MIN,		/* u16 */
	IKESEC_SEL_A_SPORT_MAX,		/* u16 */
	IKESEC_SEL_A_DPORT_MIN,		/* u16 */
	IKESEC_SEL_A_DPORT_MAX,		/* u16 */

	__IKESEC_SEL_A_MAX,
	IKESEC_SEL_A_MAX = __IKESEC_SEL_A_MAX - 1
};

enum ikesec_action {
	IKESEC_ACTION_PROTECT = 1,
	IKESEC_ACTION_BYPASS = 2,
	IKESEC_ACTION_DISCARD = 3,
};

/* IKESEC_A_POLICY */
enum ikesec_pol_attr {
	IKESEC_POL_A_UNSPEC,
	IKESEC_POL_A_ID,		/* u32, assigned by the kernel */
	IKESEC_POL_A_DIR,		/* u8, enum ikesec_dir */
	IKESEC_POL_A_ACTION,		/* u8, enum ikesec_action */
	IKESEC_POL_A_PRIORITY,		/* u32, lower wins */
	IKESEC_POL_A_SELECTOR,		/* nest, enum ikesec_sel_attr */
	IKESEC_POL_A_TEMPLATE,		/* nest, enum ikesec_tmpl_attr (protect) */
	IKESEC_POL_A_HITS,		/* u64, reply only */
	IKESEC_POL_A_PAD,

	__IKESEC_POL_A_MAX,
	IKESEC_POL_A_MAX = __IKESEC_POL_A_MAX - 1
};

/* What a protect policy requires of its SA. */
enum ikesec_tmpl_attr {
	IKESEC_TMPL_A_UNSPEC,
	IKESEC_TMPL_A_REQID,		/* u32, matches IKESEC_SA_A_REQID */
	IKESEC_TMPL_A_MODE,		/* u8, enum ikesec_mode */
	IKESEC_TMPL_A_LOCAL_IPV4,	/* tunnel endpoints (tunnel mode) */
	IKESEC_TMPL_A_LOCAL_IPV6,
	IKESEC_TMPL_A_PEER_IPV4,
	IKESEC_TMPL_A_PEER_IPV6,
	IKESEC_TMPL_A_ENC_ALG,		/* u16, 0 = any */

	__IKESEC_TMPL_A_MAX,
	IKESEC_TMPL_A_MAX = __IKESEC_TMPL_A_MAX - 1
};

/* Per-SA counters (IKESEC_SA_A_STATS), u64 each. */
enum ikesec_sa_stat {
	IKESEC_SA_STAT_UNSPEC,
	IKESEC_SA_STAT_PACKETS,		/* packets protected or accepted */
	IKESEC_SA_STAT_BYTES,		/* their inner bytes */
	IKESEC_SA_STAT_REPLAY_DROPS,	/* duplicate or too old */
	IKESEC_SA_STAT_AUTH_FAILS,	/* ICV did not verify */
	IKESEC_SA_STAT_PAD_ERRORS,	/* bad padding or next header */
	IKESEC_SA_STAT_SELECTOR_DROPS,	/* decrypted packet outside selector */
	IKESEC_SA_STAT_ERRORS,		/* other drops (no memory, MTU, ...) */
	IKESEC_SA_STAT_PAD,

	__IKESEC_SA_STAT_MAX,
	IKESEC_SA_STAT_MAX = __IKESEC_SA_STAT_MAX - 1
};

/* Per-netns counters (IKESEC_A_STATS), u64 each; cf. /proc/net/xfrm_stat. */
enum ikesec_stat {
	IKESEC_STAT_UNSPEC,
	IKESEC_STAT_IN_PACKETS,		/* ESP packets accepted */
	IKESEC_STAT_IN_BYTES,
	IKESEC_STAT_OUT_PACKETS,	/* ESP packets sent */
	IKESEC_STAT_OUT_BYTES,
	IKESEC_STAT_IN_NO_SA,		/* unknown SPI */
	IKESEC_STAT_IN_HDR_ERRORS,	/* truncated or malformed ESP */
	IKESEC_STAT_IN_REPLAY,		/* replay window drops */
	IKESEC_STAT_IN_AUTH_FAILS,	/* ICV mismatch */
	IKESEC_STAT_IN_PAD_ERRORS,	/* padding or next header invalid */
	IKESEC_STAT_IN_SELECTOR_DROPS,	/* inner packet outside SA selector */
	IKESEC_STAT_IN_POLICY_DROPS,	/* cleartext where protect applies,
					 * or inbound discard policy */
	IKESEC_STAT_IN_NATT_DROPS,	/* garbage on the NAT-T socket */
	IKESEC_STAT_IN_EXPIRED,		/* SA past its hard lifetime */
	IKESEC_STAT_IN_ERRORS,		/* other (memory, crypto errors) */
	IKESEC_STAT_OUT_NO_SA,		/* protect policy without SA */
	IKESEC_STAT_OUT_POLICY_DROPS,	/* discard policy */
	IKESEC_STAT_OUT_SEQ_OVERFLOW,	/* sequence number exhausted */
	IKESEC_STAT_OUT_MTU_DROPS,	/* too big, ICMP sent */
	IKESEC_STAT_OUT_ERRORS,		/* other */
	IKESEC_STAT_ACQUIRES,		/* ACQUIRE events sent */
	IKESEC_STAT_PAD,
	/* ESP packets whose crypto went through the queue to all CPUs
	 * (module parameter parallel_crypto), decrypted and encrypted.
	 */
	IKESEC_STAT_IN_PARALLEL,
	IKESEC_STAT_OUT_PARALLEL,

	__IKESEC_STAT_MAX,
	IKESEC_STAT_MAX = __IKESEC_STAT_MAX - 1
};

#endif /* _UAPI_LINUX_IKESEC_H */
