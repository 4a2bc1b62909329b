/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output for show/stats: one set of calls yields either text or JSON.
 * Each value has a JSON key (dashes become underscores) and a text format;
 * a NULL format leaves the value out of the text. pr_text() is text only,
 * objects and arrays are JSON only.
 */
#ifndef IKECTL_PRINT_H
#define IKECTL_PRINT_H

#include <stdbool.h>
#include <stdint.h>

struct ik_attr;

extern bool pr_json;

void pr_obj_open(const char *key);	/* key NULL in arrays, at top */
void pr_obj_close(void);
void pr_arr_open(const char *key);
void pr_arr_close(void);
/* End the output: a final newline after JSON. */
void pr_done(void);

void pr_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pr_str(const char *key, const char *fmt, const char *s);
void pr_uint(const char *key, const char *fmt, uint64_t v);
/* name, or the number when the value has no name (a newer kernel). */
void pr_enum(const char *key, const char *fmt, const char *name,
	     unsigned int v);
/* Text: "unlimited" for 0, else the number. */
void pr_limit(const char *key, const char *label, uint64_t v);
/* family AF_INET/AF_INET6, addr 4 or 16 bytes in network order. */
void pr_addr(const char *key, const char *fmt, int family, const void *addr);

/*
 * Every u64 counter in nest as members of the open object: names[type],
 * or "stat-<type>" for types this ikectl does not know (a newer kernel);
 * pad_type is skipped. The text format gets the name and the value, e.g.
 * "%s %llu\n".
 */
void pr_counters(const struct ik_attr *nest,
		 const char *const *names, int n_names, int pad_type,
		 const char *fmt);

#endif
