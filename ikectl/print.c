// SPDX-License-Identifier: GPL-2.0
/* Text or hand-written JSON output; see print.h. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>

#include "nl.h"
#include "print.h"

#define PR_DEPTH	16

bool pr_json;

/* JSON: whether the open object/array at each depth has a member yet. */
static bool has_member[PR_DEPTH];
static int depth;

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* The comma and "key": before a JSON value. */
static void json_key(const char *key)
{
	if (depth > 0 && has_member[depth - 1])
		putchar(',');
	if (depth > 0)
		has_member[depth - 1] = true;
	if (!key)
		return;
	putchar('"');
	for (; *key; key++)
		putchar(*key == '-' ? '_' : *key);
	printf("\":");
}

static void open_container(const char *key, char bracket)
{
	if (!pr_json)
		return;
	json_key(key);
	putchar(bracket);
	if (depth < PR_DEPTH)
		has_member[depth] = false;
	depth++;
}

static void close_container(char bracket)
{
	if (!pr_json)
		return;
	putchar(bracket);
	if (depth > 0)
		depth--;
}

void pr_obj_open(const char *key)
{
	open_container(key, '{');
}

void pr_obj_close(void)
{
	close_container('}');
}

void pr_arr_open(const char *key)
{
	open_container(key, '[');
}

void pr_arr_close(void)
{
	close_container(']');
}

void pr_done(void)
{
	if (pr_json)
		putchar('\n');
	fflush(stdout);
}

void pr_text(const char *fmt, ...)
{
	va_list ap;

	if (pr_json)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

void pr_str(const char *key, const char *fmt, const char *s)
{
	if (pr_json) {
		json_key(key);
		json_string(s);
	} else if (fmt) {
		printf(fmt, s);
	}
}

void pr_uint(const char *key, const char *fmt, uint64_t v)
{
	if (pr_json) {
		json_key(key);
		printf("%llu", (unsigned long long)v);
	} else if (fmt) {
		printf(fmt, (unsigned long long)v);
	}
}

void pr_enum(const char *key, const char *fmt, const char *name,
	     unsigned int v)
{
	char num[16];

	if (!name) {
		snprintf(num, sizeof(num), "%u", v);
		name = num;
	}
	pr_str(key, fmt, name);
}

void pr_limit(const char *key, const char *label, uint64_t v)
{
	if (pr_json)
		pr_uint(key, NULL, v);
	else if (v)
		printf(" %s %llu", label, (unsigned long long)v);
	else
		printf(" %s unlimited", label);
}

void pr_addr(const char *key, const char *fmt, int family, const void *addr)
{
	char buf[INET6_ADDRSTRLEN];

	if (!inet_ntop(family, addr, buf, sizeof(buf)))
		snprintf(buf, sizeof(buf), "?");
	pr_str(key, fmt, buf);
}

struct counter_ctx {
	const char *const *names;
	int n_names;
	int pad_type;
	const char *fmt;
};

static void print_counter(const struct ik_attr *a, void *arg)
{
	const struct counter_ctx *c = arg;
	int type = ik_attr_type(a);
	char unknown[32];
	const char *name;

	if (type == c->pad_type || type == 0)
		return;
	name = type < c->n_names ? c->names[type] : NULL;
	if (!name) {
		snprintf(unknown, sizeof(unknown), "stat-%d", type);
		name = unknown;
	}
	if (pr_json) {
		json_key(name);
		printf("%llu", (unsigned long long)ik_attr_u64(a));
	} else {
		printf(c->fmt, name, (unsigned long long)ik_attr_u64(a));
	}
}

void pr_counters(const struct ik_attr *nest, const char *const *names,
		 int n_names, int pad_type, const char *fmt)
{
	struct counter_ctx c = { names, n_names, pad_type, fmt };

	if (nest)
		ik_attr_for_each(nest, print_counter, &c);
}
