/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Traffic selectors and outer addresses, shared by SAs and policies: the
 * command line words, the request attributes and the printed form.
 */
#ifndef IKECTL_SEL_H
#define IKECTL_SEL_H

#include <stdbool.h>

#include "parse.h"

struct ik_msg;
struct ik_attr;

struct ik_sel {
	struct ik_prefix src, dst;
	bool have_proto, have_sport, have_dport;
	uint8_t proto;
	struct ik_ports sport, dport;
};

/*
 * If argv[0] is "proto", "sport" or "dport", parse it and its value into
 * sel and return 2 (words used); return 0 for any other word, -1 on error.
 */
int sel_parse_opt(int argc, char **argv, struct ik_sel *sel,
		  struct parse_err *e);
/* Ports need a protocol; src and dst one family. */
int sel_check(const struct ik_sel *sel, struct parse_err *e);

/* The nest type with IKESEC_SEL_A_* inside. */
void sel_put(struct ik_msg *m, int type, const struct ik_sel *sel);
/* Text: " src P dst P [proto X] [sport A[-B]] [dport A[-B]]" after label. */
void sel_print(const char *key, const char *label, const struct ik_attr *nest);

/* One of the attributes a4 (4 bytes) or a6 (16 bytes) for a. */
void addr_put(struct ik_msg *m, int a4, int a6, const struct ik_addr *a);
/* Read whichever of tb[a4], tb[a6] is there; false if neither. */
bool addr_get(const struct ik_attr *const *tb, int a4, int a6,
	      struct ik_addr *a);

#endif
