// SPDX-License-Identifier: GPL-2.0
/* ikectl policy add|del|show|flush: the security policy database. */
#include <stdio.h>
#include <string.h>

#include <linux/ikesec.h>

#include "cmd.h"
#include "nl.h"
#include "parse.h"
#include "print.h"
#include "sel.h"

struct pol_opts {
	uint8_t dir, action;
	uint32_t priority;
	bool have_src, have_dst, have_priority;
	struct ik_sel sel;
	/* the template, all words after "tmpl" */
	bool have_tmpl, have_reqid, have_tsrc, have_tdst;
	uint32_t reqid;
	uint8_t tmode;
	uint16_t tenc;
	struct ik_addr tsrc, tdst;
};

static int tmpl_value(const char *kw, const char *v, struct pol_opts *o,
		      struct parse_err *e)
{
	if (!strcmp(kw, "reqid")) {
		o->have_reqid = true;
		return parse_u32(kw, v, 0, UINT32_MAX, &o->reqid, e);
	}
	if (!strcmp(kw, "mode"))
		return parse_mode(v, &o->tmode, e);
	if (!strcmp(kw, "src")) {
		o->have_tsrc = true;
		return parse_addr(v, &o->tsrc, e);
	}
	if (!strcmp(kw, "dst")) {
		o->have_tdst = true;
		return parse_addr(v, &o->tdst, e);
	}
	if (!strcmp(kw, "enc"))
		return parse_enc(v, &o->tenc, e);
	return parse_fail(e,
		"unknown keyword `%s' in a template (reqid, mode, src, dst or enc)",
		kw);
}

/* One keyword at argv[0] (argc words left): words used, or -1. */
static int pol_word(int argc, char **argv, struct pol_opts *o,
		    struct parse_err *e)
{
	const char *kw = argv[0], *v = argv[1];
	int err;

	if (!strcmp(kw, "tmpl")) {
		o->have_tmpl = true;
		return 1;
	}
	if (argc < 2)
		return parse_fail(e, "`%s' needs a value", kw);
	if (o->have_tmpl) {
		err = tmpl_value(kw, v, o, e);
	} else if (!strcmp(kw, "dir")) {
		err = parse_dir(v, true, &o->dir, e);
	} else if (!strcmp(kw, "src")) {
		o->have_src = true;
		err = parse_prefix(v, &o->sel.src, e);
	} else if (!strcmp(kw, "dst")) {
		o->have_dst = true;
		err = parse_prefix(v, &o->sel.dst, e);
	} else if (!strcmp(kw, "action")) {
		err = parse_action(v, &o->action, e);
	} else if (!strcmp(kw, "priority")) {
		o->have_priority = true;
		err = parse_u32(kw, v, 0, UINT32_MAX, &o->priority, e);
	} else {
		err = sel_parse_opt(argc, argv, &o->sel, e);
		if (!err)
			return parse_fail(e, "unknown keyword `%s'", kw);
		return err;
	}
	return err ? -1 : 2;
}

static int pol_check(const struct pol_opts *o, struct parse_err *e)
{
	if (!o->dir || !o->have_src || !o->have_dst || !o->action)
		return parse_fail(e,
			"needs dir, src, dst and action (missing `%s')",
			!o->dir ? "dir" : !o->have_src ? "src" :
			!o->have_dst ? "dst" : "action");
	if (o->have_tmpl && o->action != IKESEC_ACTION_PROTECT)
		return parse_fail(e, "`tmpl' only goes with `action protect'");
	if (o->have_tmpl && !o->have_reqid)
		return parse_fail(e, "`tmpl' needs `reqid N'");
	if (o->have_tsrc != o->have_tdst)
		return parse_fail(e, "the template needs both src and dst, or neither");
	if (o->have_tsrc && o->tsrc.family != o->tdst.family)
		return parse_fail(e,
			"template src and dst differ in address family");
	return sel_check(&o->sel, e);
}

static int pol_parse(int argc, char **argv, struct pol_opts *o)
{
	struct parse_err e;
	int i, n;

	memset(o, 0, sizeof(*o));
	for (i = 1; i < argc; i += n) {
		n = pol_word(argc - i, argv + i, o, &e);
		if (n < 0)
			return usage_error("policy add", "%s", e.msg);
	}
	if (pol_check(o, &e))
		return usage_error("policy add", "%s", e.msg);
	return 0;
}

static void pol_put(struct ik_msg *m, const struct pol_opts *o)
{
	bool out = o->dir == IKESEC_DIR_OUT;

	ik_nest_start(m, IKESEC_A_POLICY);
	ik_put_u8(m, IKESEC_POL_A_DIR, o->dir);
	ik_put_u8(m, IKESEC_POL_A_ACTION, o->action);
	if (o->have_priority)
		ik_put_u32(m, IKESEC_POL_A_PRIORITY, o->priority);
	sel_put(m, IKESEC_POL_A_SELECTOR, &o->sel);
	if (o->have_tmpl) {
		ik_nest_start(m, IKESEC_POL_A_TEMPLATE);
		ik_put_u32(m, IKESEC_TMPL_A_REQID, o->reqid);
		if (o->tmode)
			ik_put_u8(m, IKESEC_TMPL_A_MODE, o->tmode);
		if (o->have_tsrc) {
			/* As for SAs: src is us when sending, the peer else. */
			addr_put(m, IKESEC_TMPL_A_LOCAL_IPV4,
				 IKESEC_TMPL_A_LOCAL_IPV6,
				 out ? &o->tsrc : &o->tdst);
			addr_put(m, IKESEC_TMPL_A_PEER_IPV4,
				 IKESEC_TMPL_A_PEER_IPV6,
				 out ? &o->tdst : &o->tsrc);
		}
		if (o->tenc)
			ik_put_u16(m, IKESEC_TMPL_A_ENC_ALG, o->tenc);
		ik_nest_end(m);
	}
	ik_nest_end(m);
}

/* The id from a POLICY_NEW reply, 0 if there is none. */
static uint32_t reply_id(const struct ik_reply *r)
{
	const struct ik_attr *top[IKESEC_A_MAX + 1], *tb[IKESEC_POL_A_MAX + 1];

	if (!r || ik_reply_attrs(r, top, IKESEC_A_MAX) ||
	    !top[IKESEC_A_POLICY] ||
	    ik_attr_nested(top[IKESEC_A_POLICY], tb, IKESEC_POL_A_MAX))
		return 0;
	return ik_attr_u32(tb[IKESEC_POL_A_ID]);
}

static int pol_add(int argc, char **argv)
{
	struct ik_reply *replies = NULL;
	struct ik_nl *nl = NULL;
	struct ik_msg *m = NULL;
	struct pol_opts o;
	int ret;

	ret = pol_parse(argc, argv, &o);
	if (ret)
		return ret;
	ret = IK_EXIT_FAIL;
	if (ik_nl_open("policy add", &nl))
		goto out;
	m = ik_msg_new(nl, IKESEC_CMD_POLICY_NEW, false);
	if (!m)
		goto out;
	pol_put(m, &o);
	if (ik_nl_request(nl, m, "policy add", &replies))
		goto out;
	pr_obj_open(NULL);
	pr_uint("id", "id %llu\n", reply_id(replies));
	pr_obj_close();
	pr_done();
	ret = IK_EXIT_OK;
out:
	ik_reply_free(replies);
	ik_msg_free(m);
	ik_nl_close(nl);
	return ret;
}

/* policy del id N, policy flush: one request, no output. */
static int pol_simple(const char *op, int argc, char **argv, uint8_t cmd)
{
	struct ik_nl *nl = NULL;
	struct ik_msg *m = NULL;
	struct parse_err e;
	uint32_t id = 0;
	int ret = IK_EXIT_FAIL;

	if (cmd == IKESEC_CMD_POLICY_FLUSH && argc > 1)
		return usage_error(op, "takes no arguments");
	if (cmd == IKESEC_CMD_POLICY_DEL &&
	    (argc != 3 || strcmp(argv[1], "id")))
		return usage_error(op, "needs `id N' (see `ikectl policy show')");
	if (cmd == IKESEC_CMD_POLICY_DEL &&
	    parse_u32("policy id", argv[2], 1, UINT32_MAX, &id, &e))
		return usage_error(op, "%s", e.msg);

	if (ik_nl_open(op, &nl))
		goto out;
	m = ik_msg_new(nl, cmd, false);
	if (!m)
		goto out;
	if (cmd == IKESEC_CMD_POLICY_DEL) {
		ik_nest_start(m, IKESEC_A_POLICY);
		ik_put_u32(m, IKESEC_POL_A_ID, id);
		ik_nest_end(m);
	}
	if (!ik_nl_request(nl, m, op, NULL))
		ret = IK_EXIT_OK;
out:
	ik_msg_free(m);
	ik_nl_close(nl);
	return ret;
}

static int pol_del(int argc, char **argv)
{
	return pol_simple("policy del", argc, argv, IKESEC_CMD_POLICY_DEL);
}

static int pol_flush(int argc, char **argv)
{
	return pol_simple("policy flush", argc, argv, IKESEC_CMD_POLICY_FLUSH);
}

static void tmpl_print(const struct ik_attr *nest, uint8_t dir)
{
	const struct ik_attr *tb[IKESEC_TMPL_A_MAX + 1];
	const struct ik_addr *src, *dst;
	struct ik_addr local, peer;
	bool out = dir == IKESEC_DIR_OUT;
	uint8_t mode;
	uint16_t enc;

	if (!nest || ik_attr_nested(nest, tb, IKESEC_TMPL_A_MAX))
		return;
	mode = ik_attr_u8(tb[IKESEC_TMPL_A_MODE]);
	enc = ik_attr_u16(tb[IKESEC_TMPL_A_ENC_ALG]);
	pr_obj_open("tmpl");
	pr_uint("reqid", "\n\ttmpl reqid %llu",
		ik_attr_u32(tb[IKESEC_TMPL_A_REQID]));
	if (mode)
		pr_enum("mode", " mode %s", mode_name(mode), mode);
	if (addr_get(tb, IKESEC_TMPL_A_LOCAL_IPV4, IKESEC_TMPL_A_LOCAL_IPV6,
		     &local) &&
	    addr_get(tb, IKESEC_TMPL_A_PEER_IPV4, IKESEC_TMPL_A_PEER_IPV6,
		     &peer)) {
		src = out ? &local : &peer;
		dst = out ? &peer : &local;
		pr_addr("src", " src %s", src->family, src->b);
		pr_addr("dst", " dst %s", dst->family, dst->b);
	}
	if (enc)
		pr_enum("enc", " enc %s", enc_name(enc), enc);
	else
		pr_str("enc", " enc %s", "any");
	pr_obj_close();
}

static void pol_print(const struct ik_reply *r)
{
	const struct ik_attr *top[IKESEC_A_MAX + 1], *tb[IKESEC_POL_A_MAX + 1];
	uint8_t dir, action;

	if (ik_reply_attrs(r, top, IKESEC_A_MAX) || !top[IKESEC_A_POLICY] ||
	    ik_attr_nested(top[IKESEC_A_POLICY], tb, IKESEC_POL_A_MAX)) {
		fprintf(stderr, "ikectl: skipping a malformed policy message\n");
		return;
	}
	dir = ik_attr_u8(tb[IKESEC_POL_A_DIR]);
	action = ik_attr_u8(tb[IKESEC_POL_A_ACTION]);
	pr_obj_open(NULL);
	pr_uint("id", "id %llu", ik_attr_u32(tb[IKESEC_POL_A_ID]));
	pr_enum("dir", " dir %s", dir_name(dir), dir);
	pr_enum("action", " action %s", action_name(action), action);
	pr_uint("priority", " priority %llu",
		ik_attr_u32(tb[IKESEC_POL_A_PRIORITY]));
	pr_uint("hits", " hits %llu", ik_attr_u64(tb[IKESEC_POL_A_HITS]));
	sel_print("sel", "\n\tsel", tb[IKESEC_POL_A_SELECTOR]);
	tmpl_print(tb[IKESEC_POL_A_TEMPLATE], dir);
	pr_text("\n");
	pr_obj_close();
}

static int pol_show(int argc, char **argv)
{
	struct ik_reply *replies = NULL;
	const struct ik_reply *r;
	struct ik_nl *nl = NULL;
	struct ik_msg *m = NULL;
	int ret = IK_EXIT_FAIL;

	(void)argv;
	if (argc > 1)
		return usage_error("policy show", "takes no arguments");
	if (ik_nl_open("policy show", &nl))
		goto out;
	m = ik_msg_new(nl, IKESEC_CMD_POLICY_GET, true);
	if (!m || ik_nl_request(nl, m, "policy show", &replies))
		goto out;
	pr_arr_open(NULL);
	for (r = replies; r; r = ik_reply_next(r)) {
		if (r != replies)
			pr_text("\n");
		pol_print(r);
	}
	pr_arr_close();
	pr_done();
	ret = IK_EXIT_OK;
out:
	ik_reply_free(replies);
	ik_msg_free(m);
	ik_nl_close(nl);
	return ret;
}

const struct command policy_commands[] = {
	{ .name = "add", .handler = pol_add,
	  .description = "add a policy; prints its `id N'",
	  .syntax = "dir in|out|fwd src PREFIX dst PREFIX\n"
	  "\t[proto PROTO] [sport PORTS] [dport PORTS]\n"
	  "\taction protect|bypass|discard [priority N]\n"
	  "\t[tmpl reqid N [mode tunnel|transport] [src ADDR dst ADDR] [enc ALG]]" },
	{ .name = "del", .handler = pol_del, .syntax = "id N",
	  .description = "delete one policy" },
	{ .name = "show", .handler = pol_show,
	  .description = "print every policy of this network namespace" },
	{ .name = "flush", .handler = pol_flush,
	  .description = "delete every policy of this network namespace" },
	{ .name = NULL }
};

const char policy_notes[] =
	"PREFIX is ADDR/LEN (10.0.0.0/24, fd00::/64); a bare ADDR is a host. src\n"
	"and dst here are the inner (cleartext) addresses. `tmpl' comes last: the\n"
	"words after it describe the SA that protected traffic needs. Its src and\n"
	"dst are that SA's outer addresses, as for `ikectl sa add': for `dir out'\n"
	"src is this host, for `dir in' and `dir fwd' src is the peer. A lower\n"
	"priority wins. PROTO and PORTS are as for SAs.\n";
