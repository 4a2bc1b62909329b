// SPDX-License-Identifier: GPL-2.0
/* Traffic selectors and addresses in messages; see sel.h. */
#include <string.h>
#include <sys/socket.h>

#include <linux/ikesec.h>

#include "nl.h"
#include "print.h"
#include "sel.h"

int sel_parse_opt(int argc, char **argv, struct ik_sel *sel,
		  struct parse_err *e)
{
	const char *kw = argv[0];

	if (strcmp(kw, "proto") && strcmp(kw, "sport") && strcmp(kw, "dport"))
		return 0;
	if (argc < 2)
		return parse_fail(e, "`%s' needs a value", kw);
	if (!strcmp(kw, "proto")) {
		if (parse_proto(argv[1], &sel->proto, e))
			return -1;
		sel->have_proto = true;
	} else if (!strcmp(kw, "sport")) {
		if (parse_ports(argv[1], &sel->sport, e))
			return -1;
		sel->have_sport = true;
	} else {
		if (parse_ports(argv[1], &sel->dport, e))
			return -1;
		sel->have_dport = true;
	}
	return 2;
}

int sel_check(const struct ik_sel *sel, struct parse_err *e)
{
	if (sel->src.addr.family != sel->dst.addr.family)
		return parse_fail(e,
			"selector source and destination differ in address family");
	if ((sel->have_sport || sel->have_dport) &&
	    (!sel->have_proto || !sel->proto))
		return parse_fail(e,
			"sport/dport need a protocol, e.g. `proto tcp'");
	return 0;
}

void addr_put(struct ik_msg *m, int a4, int a6, const struct ik_addr *a)
{
	if (a->family == AF_INET)
		ik_put_data(m, a4, a->b, 4);
	else
		ik_put_data(m, a6, a->b, 16);
}

bool addr_get(const struct ik_attr *const *tb, int a4, int a6,
	      struct ik_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (tb[a4] && ik_attr_len(tb[a4]) == 4) {
		a->family = AF_INET;
		memcpy(a->b, ik_attr_data(tb[a4]), 4);
		return true;
	}
	if (tb[a6] && ik_attr_len(tb[a6]) == 16) {
		a->family = AF_INET6;
		memcpy(a->b, ik_attr_data(tb[a6]), 16);
		return true;
	}
	return false;
}

void sel_put(struct ik_msg *m, int type, const struct ik_sel *sel)
{
	ik_nest_start(m, type);
	addr_put(m, IKESEC_SEL_A_SRC_IPV4, IKESEC_SEL_A_SRC_IPV6,
		 &sel->src.addr);
	ik_put_u8(m, IKESEC_SEL_A_SRC_PREFIXLEN, sel->src.len);
	addr_put(m, IKESEC_SEL_A_DST_IPV4, IKESEC_SEL_A_DST_IPV6,
		 &sel->dst.addr);
	ik_put_u8(m, IKESEC_SEL_A_DST_PREFIXLEN, sel->dst.len);
	if (sel->have_proto)
		ik_put_u8(m, IKESEC_SEL_A_PROTO, sel->proto);
	if (sel->have_sport) {
		ik_put_u16(m, IKESEC_SEL_A_SPORT_MIN, sel->sport.min);
		ik_put_u16(m, IKESEC_SEL_A_SPORT_MAX, sel->sport.max);
	}
	if (sel->have_dport) {
		ik_put_u16(m, IKESEC_SEL_A_DPORT_MIN, sel->dport.min);
		ik_put_u16(m, IKESEC_SEL_A_DPORT_MAX, sel->dport.max);
	}
	ik_nest_end(m);
}

static void print_prefix(const char *key, const struct ik_attr *const *tb,
			 int a4, int a6, int plen)
{
	struct ik_addr a;
	unsigned int len;

	if (!addr_get(tb, a4, a6, &a)) {
		pr_text(" %s any", key);
		pr_str(key, NULL, "any");
		return;
	}
	len = tb[plen] ? ik_attr_u8(tb[plen]) : (unsigned int)ik_addr_len(&a) * 8;
	pr_obj_open(key);
	pr_text(" %s ", key);
	pr_addr("addr", "%s", a.family, a.b);
	pr_uint("len", "/%llu", len);
	pr_obj_close();
}

static void print_ports(const char *key, const struct ik_attr *const *tb,
			int min, int max)
{
	uint16_t lo, hi;

	if (!tb[min] && !tb[max])
		return;
	lo = tb[min] ? ik_attr_u16(tb[min]) : 0;
	hi = tb[max] ? ik_attr_u16(tb[max]) : 65535;
	pr_obj_open(key);
	pr_text(" %s ", key);
	pr_uint("min", "%llu", lo);
	if (lo != hi || pr_json)
		pr_uint("max", "-%llu", hi);
	pr_obj_close();
}

void sel_print(const char *key, const char *label, const struct ik_attr *nest)
{
	const struct ik_attr *tb[IKESEC_SEL_A_MAX + 1];
	const char *name;
	uint8_t proto;

	if (!nest || ik_attr_nested(nest, tb, IKESEC_SEL_A_MAX))
		return;
	pr_obj_open(key);
	pr_text("%s", label);
	print_prefix("src", tb, IKESEC_SEL_A_SRC_IPV4, IKESEC_SEL_A_SRC_IPV6,
		     IKESEC_SEL_A_SRC_PREFIXLEN);
	print_prefix("dst", tb, IKESEC_SEL_A_DST_IPV4, IKESEC_SEL_A_DST_IPV6,
		     IKESEC_SEL_A_DST_PREFIXLEN);
	proto = ik_attr_u8(tb[IKESEC_SEL_A_PROTO]);
	if (proto) {
		name = proto_name(proto);
		if (name)
			pr_str("proto", " proto %s", name);
		else
			pr_uint("proto", " proto %llu", proto);
	}
	print_ports("sport", tb, IKESEC_SEL_A_SPORT_MIN, IKESEC_SEL_A_SPORT_MAX);
	print_ports("dport", tb, IKESEC_SEL_A_DPORT_MIN, IKESEC_SEL_A_DPORT_MAX);
	pr_obj_close();
}
