/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ikesec generic netlink transport. nl.c is the only file that sees
 * libnl; everything here is opaque so the rest of ikectl does not either.
 *
 * A request is built with ik_msg_*() (the first failure sticks and is
 * reported by ik_nl_request()), sent with ik_nl_request(), and its replies
 * come back as a list read with ik_reply_*() and ik_attr_*(). Every error
 * is printed here, as "ikectl: <op>: <reason>", so callers only clean up.
 */
#ifndef IKECTL_NL_H
#define IKECTL_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ik_nl;		/* a socket bound to the ikesec family */
struct ik_msg;		/* a request being built */
struct ik_reply;	/* one reply message, in a list */
struct ik_attr;		/* an attribute inside a reply */

/* Open a socket and resolve the family; prints why on failure. */
int ik_nl_open(const char *op, struct ik_nl **nlp);
void ik_nl_close(struct ik_nl *nl);

/* A request for cmd; dump asks for every object (NLM_F_DUMP). */
struct ik_msg *ik_msg_new(struct ik_nl *nl, uint8_t cmd, bool dump);
/* Wipes the whole buffer (requests carry keys), then frees. */
void ik_msg_free(struct ik_msg *m);

void ik_put_u8(struct ik_msg *m, int type, uint8_t v);
void ik_put_u16(struct ik_msg *m, int type, uint16_t v);
void ik_put_u32(struct ik_msg *m, int type, uint32_t v);
void ik_put_u64(struct ik_msg *m, int type, uint64_t v);
void ik_put_flag(struct ik_msg *m, int type);
void ik_put_data(struct ik_msg *m, int type, const void *data, size_t len);
void ik_nest_start(struct ik_msg *m, int type);
void ik_nest_end(struct ik_msg *m);

/*
 * Send m and wait for its acknowledgement, collecting every reply message
 * (a dump interrupted by a change is retried). Returns 0 or a negative
 * errno after printing the kernel's explanation. *replies may be NULL if
 * the caller wants none; otherwise free them with ik_reply_free().
 */
int ik_nl_request(struct ik_nl *nl, struct ik_msg *m, const char *op,
		  struct ik_reply **replies);

const struct ik_reply *ik_reply_next(const struct ik_reply *r);
void ik_reply_free(struct ik_reply *r);

/*
 * Index the attributes of a reply (or of a nest) by type into tb[0..max];
 * types above max are ignored. Returns 0 or -1 if malformed.
 */
int ik_reply_attrs(const struct ik_reply *r, const struct ik_attr **tb,
		   int max);
int ik_attr_nested(const struct ik_attr *nest, const struct ik_attr **tb,
		   int max);

/* Call fn for each attribute in a nest (for counter lists). */
void ik_attr_for_each(const struct ik_attr *nest,
		      void (*fn)(const struct ik_attr *a, void *arg),
		      void *arg);

int ik_attr_type(const struct ik_attr *a);
size_t ik_attr_len(const struct ik_attr *a);
const void *ik_attr_data(const struct ik_attr *a);
/*
 * Integers: 0 for a missing attribute (a NULL from the table) or one of
 * the wrong size, rather than a read past the attribute.
 */
uint8_t ik_attr_u8(const struct ik_attr *a);
uint16_t ik_attr_u16(const struct ik_attr *a);
uint32_t ik_attr_u32(const struct ik_attr *a);
uint64_t ik_attr_u64(const struct ik_attr *a);

#endif
