/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure parsing helpers: command line words to values. No netlink, no I/O.
 * Every parser returns 0, or -1 with a message in *e that quotes the bad
 * input ("invalid SPI `0xzz'"). Key material is the one exception: it is
 * never quoted, only described.
 */
#ifndef IKECTL_PARSE_H
#define IKECTL_PARSE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IK_KEY_MAX	64	/* bytes, the longest key we accept */

struct parse_err {
	char msg[256];
};

struct ik_addr {
	int family;		/* AF_INET or AF_INET6 */
	union {
		uint8_t b[16];
		struct in_addr v4;
		struct in6_addr v6;
	};
};

struct ik_prefix {
	struct ik_addr addr;
	uint8_t len;
};

struct ik_ports {
	uint16_t min, max;
};

/* Fill *e from a format and return -1, so callers can `return parse_fail()'. */
int parse_fail(struct parse_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Decimal or 0x-hex, no sign, no spaces; "what" names the value in errors. */
int parse_u32(const char *what, const char *s, uint32_t min, uint32_t max,
	      uint32_t *out, struct parse_err *e);
int parse_u64(const char *what, const char *s, uint64_t min, uint64_t max,
	      uint64_t *out, struct parse_err *e);

int parse_spi(const char *s, uint32_t *spi, struct parse_err *e);
int parse_addr(const char *s, struct ik_addr *a, struct parse_err *e);
int parse_prefix(const char *s, struct ik_prefix *p, struct parse_err *e);
int parse_ports(const char *s, struct ik_ports *p, struct parse_err *e);
/* Hex with optional 0x, even number of digits, at most IK_KEY_MAX bytes. */
int parse_key(const char *s, uint8_t key[IK_KEY_MAX], size_t *len,
	      struct parse_err *e);

int parse_dir(const char *s, bool allow_fwd, uint8_t *dir,
	      struct parse_err *e);
int parse_mode(const char *s, uint8_t *mode, struct parse_err *e);
int parse_enc(const char *s, uint16_t *alg, struct parse_err *e);
int parse_auth(const char *s, uint16_t *alg, struct parse_err *e);
int parse_proto(const char *s, uint8_t *proto, struct parse_err *e);
int parse_action(const char *s, uint8_t *action, struct parse_err *e);

/* Key length for the algorithm, in bytes; "none" auth takes no key. */
int check_enc_key(uint16_t alg, size_t len, struct parse_err *e);
int check_auth_key(uint16_t alg, size_t len, struct parse_err *e);

size_t ik_addr_len(const struct ik_addr *a);

/* Canonical names for kernel values; NULL when the value is unknown. */
const char *dir_name(unsigned int dir);
const char *mode_name(unsigned int mode);
const char *enc_name(unsigned int alg);
const char *auth_name(unsigned int alg);
const char *proto_name(unsigned int proto);
const char *action_name(unsigned int action);
/* Key size in bits when the algorithm fixes it, else 0. */
unsigned int enc_key_bits(unsigned int alg);
unsigned int auth_key_bits(unsigned int alg);

#endif
