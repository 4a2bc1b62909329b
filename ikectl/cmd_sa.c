// SPDX-License-Identifier: GPL-2.0
/* ikectl sa add|del|get|show|flush: the security association database. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/ikesec.h>

#include "cmd.h"
#include "nl.h"
#include "parse.h"
#include "print.h"
#include "sel.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* What the command line asked for; holds keys, so always wiped. */
struct sa_opts {
	uint8_t dir, mode;
	uint32_t spi, reqid, replay_window;
	uint64_t seq;
	struct ik_addr src, dst;
	uint16_t enc, auth;
	uint8_t enc_key[IK_KEY_MAX], auth_key[IK_KEY_MAX];
	size_t enc_keylen, auth_keylen;
	bool esn, have_spi, have_src, have_dst, have_enc, have_auth;
	bool have_reqid, have_replay, have_seq, have_encap, have_sel;
	uint32_t encap_sport, encap_dport;
	/* [0] soft, [1] hard; each bytes, packets, seconds */
	uint64_t lt[2][3];
	bool have_lt[2];
	struct ik_sel sel;
};

static const struct sa_kw {
	const char *kw;
	int args;
	bool add_only;
} sa_kws[] = {
	/* the identity, for every sa command */
	{ "dir", 1, false }, { "spi", 1, false },
	{ "src", 1, false }, { "dst", 1, false },
	/* sa add only */
	{ "mode", 1, true }, { "enc", 2, true }, { "auth", 2, true },
	{ "reqid", 1, true }, { "esn", 0, true }, { "replay-window", 1, true },
	{ "seq", 1, true }, { "encap", 2, true },
	{ "soft-bytes", 1, true }, { "soft-packets", 1, true },
	{ "soft-seconds", 1, true }, { "hard-bytes", 1, true },
	{ "hard-packets", 1, true }, { "hard-seconds", 1, true },
	{ "sel", 2, true }, { "proto", 1, true }, { "sport", 1, true },
	{ "dport", 1, true },
};

static const char *const lt_names[] = { "bytes", "packets", "seconds" };

static int sa_lifetime(const char *kw, const char *val, struct sa_opts *o,
		       struct parse_err *e)
{
	int which = !strncmp(kw, "hard-", 5), i;

	for (i = 0; i < 3; i++)
		if (!strcmp(kw + 5, lt_names[i]))
			break;
	o->have_lt[which] = true;
	return parse_u64(kw, val, 0, UINT64_MAX, &o->lt[which][i], e);
}

/* The key is parsed, checked against the algorithm and wiped from argv. */
static int sa_key(char **argv, bool enc, struct sa_opts *o,
		  struct parse_err *e)
{
	int err;

	if (enc)
		err = parse_enc(argv[1], &o->enc, e) ||
		      parse_key(argv[2], o->enc_key, &o->enc_keylen, e) ||
		      check_enc_key(o->enc, o->enc_keylen, e);
	else
		err = parse_auth(argv[1], &o->auth, e) ||
		      parse_key(argv[2], o->auth_key, &o->auth_keylen, e) ||
		      check_auth_key(o->auth, o->auth_keylen, e);
	explicit_bzero(argv[2], strlen(argv[2]));
	o->have_enc |= enc;
	o->have_auth |= !enc;
	return err ? -1 : 0;
}

/* The values of keyword k at argv[0]; 0 or -1. */
static int sa_value(const struct sa_kw *k, char **argv, struct sa_opts *o,
		    struct parse_err *e)
{
	const char *kw = k->kw, *v = argv[1];

	if (!strcmp(kw, "dir"))
		return parse_dir(v, false, &o->dir, e);
	if (!strcmp(kw, "spi")) {
		o->have_spi = true;
		return parse_spi(v, &o->spi, e);
	}
	if (!strcmp(kw, "src")) {
		o->have_src = true;
		return parse_addr(v, &o->src, e);
	}
	if (!strcmp(kw, "dst")) {
		o->have_dst = true;
		return parse_addr(v, &o->dst, e);
	}
	if (!strcmp(kw, "mode"))
		return parse_mode(v, &o->mode, e);
	if (!strcmp(kw, "enc") || !strcmp(kw, "auth"))
		return sa_key(argv, kw[0] == 'e', o, e);
	if (!strcmp(kw, "reqid")) {
		o->have_reqid = true;
		return parse_u32(kw, v, 0, UINT32_MAX, &o->reqid, e);
	}
	if (!strcmp(kw, "esn")) {
		o->esn = true;
		return 0;
	}
	if (!strcmp(kw, "replay-window")) {
		o->have_replay = true;
		return parse_u32(kw, v, 0, IKESEC_REPLAY_WINDOW_MAX,
				 &o->replay_window, e);
	}
	if (!strcmp(kw, "seq")) {
		o->have_seq = true;
		return parse_u64(kw, v, 0, UINT64_MAX, &o->seq, e);
	}
	if (!strcmp(kw, "encap")) {
		o->have_encap = true;
		return parse_u32("UDP port", v, 1, 65535, &o->encap_sport, e) ||
		       parse_u32("UDP port", argv[2], 1, 65535,
				 &o->encap_dport, e) ? -1 : 0;
	}
	if (!strcmp(kw, "sel")) {
		o->have_sel = true;
		return parse_prefix(v, &o->sel.src, e) ||
		       parse_prefix(argv[2], &o->sel.dst, e) ? -1 : 0;
	}
	if (!strncmp(kw, "soft-", 5) || !strncmp(kw, "hard-", 5))
		return sa_lifetime(kw, v, o, e);
	/* proto, sport, dport */
	if (!o->have_sel)
		return parse_fail(e,
			"`%s' belongs to a selector: put it after `sel SRC DST'",
			kw);
	return sel_parse_opt(2, argv, &o->sel, e) < 0 ? -1 : 0;
}

/* One keyword and its values at argv[0] (argc words left): words used. */
static int sa_word(int argc, char **argv, bool add, struct sa_opts *o,
		   struct parse_err *e)
{
	const struct sa_kw *k;

	for (k = sa_kws; k < sa_kws + ARRAY_SIZE(sa_kws); k++)
		if (!strcmp(k->kw, argv[0]))
			break;
	if (k == sa_kws + ARRAY_SIZE(sa_kws))
		return parse_fail(e, "unknown keyword `%s'", argv[0]);
	if (k->add_only && !add)
		return parse_fail(e, "`%s' only applies to `sa add'", k->kw);
	if (argc <= k->args)
		return parse_fail(e, "`%s' needs %s", k->kw,
				  k->args > 1 ? "two values" : "a value");
	return sa_value(k, argv, o, e) ? -1 : 1 + k->args;
}

/* What sa add needs beyond well-formed words. */
static int sa_check_add(const struct sa_opts *o, struct parse_err *e)
{
	if (!o->dir || !o->have_spi || !o->have_src || !o->have_dst ||
	    !o->have_enc)
		return parse_fail(e,
			"needs dir, spi, src, dst and enc (missing `%s')",
			!o->dir ? "dir" : !o->have_spi ? "spi" :
			!o->have_src ? "src" : !o->have_dst ? "dst" : "enc");
	if (o->src.family != o->dst.family)
		return parse_fail(e, "src and dst differ in address family");
	if (o->enc == IKESEC_ENC_AES_CBC && !o->have_auth)
		return parse_fail(e,
			"aes-cbc needs `auth hmac-sha256 KEY' or `auth hmac-sha1 KEY'");
	if (o->enc != IKESEC_ENC_AES_CBC && o->have_auth)
		return parse_fail(e,
			"`auth' does not apply to %s: it authenticates by itself",
			enc_name(o->enc));
	if (o->seq > UINT32_MAX && !o->esn)
		return parse_fail(e, "seq above 4294967295 needs `esn'");
	return o->have_sel ? sel_check(&o->sel, e) : 0;
}

static int sa_parse(const char *op, int argc, char **argv, bool add,
		    struct sa_opts *o)
{
	struct parse_err e;
	int i, n;

	memset(o, 0, sizeof(*o));
	o->mode = IKESEC_MODE_TUNNEL;
	for (i = 1; i < argc; i += n) {
		n = sa_word(argc - i, argv + i, add, o, &e);
		if (n < 0)
			return usage_error(op, "%s", e.msg);
	}
	if (add && sa_check_add(o, &e))
		return usage_error(op, "%s", e.msg);
	if (!add && (!o->dir || !o->have_spi))
		return usage_error(op, "needs `dir in|out' and `spi SPI'");
	if (!add && o->dir == IKESEC_DIR_OUT && !o->have_dst)
		return usage_error(op, "an outbound SA is found by its peer too: add `dst PEER'");
	return 0;
}

static void put_lifetime(struct ik_msg *m, int type, const uint64_t lt[3])
{
	ik_nest_start(m, type);
	ik_put_u64(m, IKESEC_LT_A_BYTES, lt[0]);
	ik_put_u64(m, IKESEC_LT_A_PACKETS, lt[1]);
	ik_put_u64(m, IKESEC_LT_A_SECONDS, lt[2]);
	ik_nest_end(m);
}

/* IKESEC_A_SA: the identity, and for sa add everything else. */
static void sa_put(struct ik_msg *m, const struct sa_opts *o, bool add)
{
	bool out = o->dir == IKESEC_DIR_OUT;
	const struct ik_addr *local = out ? &o->src : &o->dst;
	const struct ik_addr *peer = out ? &o->dst : &o->src;

	ik_nest_start(m, IKESEC_A_SA);
	ik_put_u8(m, IKESEC_SA_A_DIR, o->dir);
	ik_put_u32(m, IKESEC_SA_A_SPI, o->spi);
	if (out ? o->have_src : o->have_dst)
		addr_put(m, IKESEC_SA_A_LOCAL_IPV4, IKESEC_SA_A_LOCAL_IPV6,
			 local);
	if (out ? o->have_dst : o->have_src)
		addr_put(m, IKESEC_SA_A_PEER_IPV4, IKESEC_SA_A_PEER_IPV6, peer);
	if (add) {
		ik_put_u8(m, IKESEC_SA_A_MODE, o->mode);
		ik_put_u16(m, IKESEC_SA_A_ENC_ALG, o->enc);
		ik_put_data(m, IKESEC_SA_A_ENC_KEY, o->enc_key, o->enc_keylen);
		if (o->have_auth) {
			ik_put_u16(m, IKESEC_SA_A_AUTH_ALG, o->auth);
			ik_put_data(m, IKESEC_SA_A_AUTH_KEY, o->auth_key,
				    o->auth_keylen);
		}
		if (o->esn)
			ik_put_u32(m, IKESEC_SA_A_FLAGS, IKESEC_SA_F_ESN);
		if (o->have_replay)
			ik_put_u32(m, IKESEC_SA_A_REPLAY_WINDOW,
				   o->replay_window);
		if (o->have_seq)
			ik_put_u64(m, IKESEC_SA_A_SEQ, o->seq);
		if (o->have_reqid)
			ik_put_u32(m, IKESEC_SA_A_REQID, o->reqid);
		if (o->have_encap) {
			ik_put_u16(m, IKESEC_SA_A_ENCAP_SPORT,
				   (uint16_t)o->encap_sport);
			ik_put_u16(m, IKESEC_SA_A_ENCAP_DPORT,
				   (uint16_t)o->encap_dport);
		}
		if (o->have_lt[0])
			put_lifetime(m, IKESEC_SA_A_LIFETIME_SOFT, o->lt[0]);
		if (o->have_lt[1])
			put_lifetime(m, IKESEC_SA_A_LIFETIME_HARD, o->lt[1]);
		if (o->have_sel)
			sel_put(m, IKESEC_SA_A_SELECTOR, &o->sel);
	}
	ik_nest_end(m);
}

/* Parse, one request, no output: sa add, del and flush. */
static int sa_simple(const char *op, int argc, char **argv, uint8_t cmd,
		     bool add)
{
	struct ik_nl *nl = NULL;
	struct ik_msg *m = NULL;
	struct sa_opts o;
	int ret;

	if (cmd == IKESEC_CMD_SA_FLUSH) {
		memset(&o, 0, sizeof(o));
		ret = argc > 1 ? usage_error(op, "takes no arguments") : 0;
	} else {
		ret = sa_parse(op, argc, argv, add, &o);
	}
	if (ret)
		goto out;
	ret = IK_EXIT_FAIL;
	if (ik_nl_open(op, &nl))
		goto out;
	m = ik_msg_new(nl, cmd, false);
	if (!m)
		goto out;
	if (cmd != IKESEC_CMD_SA_FLUSH)
		sa_put(m, &o, add);
	if (!ik_nl_request(nl, m, op, NULL))
		ret = IK_EXIT_OK;
out:
	ik_msg_free(m);
	ik_nl_close(nl);
	explicit_bzero(&o, sizeof(o));
	return ret;
}

static int sa_add(int argc, char **argv)
{
	return sa_simple("sa add", argc, argv, IKESEC_CMD_SA_NEW, true);
}

static int sa_del(int argc, char **argv)
{
	return sa_simple("sa del", argc, argv, IKESEC_CMD_SA_DEL, false);
}

static int sa_flush(int argc, char **argv)
{
	return sa_simple("sa flush", argc, argv, IKESEC_CMD_SA_FLUSH, false);
}

static const char *const sa_stat_names[] = {
	[IKESEC_SA_STAT_PACKETS] = "packets",
	[IKESEC_SA_STAT_BYTES] = "bytes",
	[IKESEC_SA_STAT_REPLAY_DROPS] = "replay-drops",
	[IKESEC_SA_STAT_AUTH_FAILS] = "auth-fails",
	[IKESEC_SA_STAT_PAD_ERRORS] = "pad-errors",
	[IKESEC_SA_STAT_SELECTOR_DROPS] = "selector-drops",
	[IKESEC_SA_STAT_ERRORS] = "errors",
};

static void print_lifetime(const char *key, const struct ik_attr *nest,
			   bool limits)
{
	static const int types[] = {
		IKESEC_LT_A_BYTES, IKESEC_LT_A_PACKETS, IKESEC_LT_A_SECONDS
	};
	const struct ik_attr *tb[IKESEC_LT_A_MAX + 1];
	uint64_t v;
	int i;

	if (!nest || ik_attr_nested(nest, tb, IKESEC_LT_A_MAX))
		return;
	pr_obj_open(key);
	pr_text("\n\tlifetime %s", key);
	for (i = 0; i < 3; i++) {
		v = tb[types[i]] ? ik_attr_u64(tb[types[i]]) : 0;
		if (limits) {
			pr_limit(lt_names[i], lt_names[i], v);
		} else {
			pr_text(" %s", lt_names[i]);
			pr_uint(lt_names[i], " %llu", v);
		}
	}
	pr_obj_close();
}

static void print_algs(const struct ik_attr *const *tb)
{
	unsigned int enc = ik_attr_u16(tb[IKESEC_SA_A_ENC_ALG]);
	unsigned int auth = ik_attr_u16(tb[IKESEC_SA_A_AUTH_ALG]);
	unsigned int ebits = ik_attr_u16(tb[IKESEC_SA_A_ENC_KEY_BITS]);
	unsigned int abits = ik_attr_u16(tb[IKESEC_SA_A_AUTH_KEY_BITS]);

	/* Modules before ENC_KEY_BITS: only fixed key sizes are known. */
	if (!ebits)
		ebits = enc_key_bits(enc);
	if (!abits)
		abits = auth_key_bits(auth);
	pr_obj_open("enc");
	pr_enum("alg", "\n\tenc %s", enc_name(enc), enc);
	if (ebits)
		pr_uint("key-bits", " (%llu-bit key)", ebits);
	pr_obj_close();
	if (!auth)
		return;
	pr_obj_open("auth");
	pr_enum("alg", " auth %s", auth_name(auth), auth);
	if (abits)
		pr_uint("key-bits", " (%llu-bit key)", abits);
	pr_obj_close();
}

static void sa_print(const struct ik_reply *r)
{
	const struct ik_attr *top[IKESEC_A_MAX + 1], *tb[IKESEC_SA_A_MAX + 1];
	const struct ik_addr *src, *dst;
	struct ik_addr local, peer;
	uint8_t dir, mode;
	uint32_t flags;
	bool out;

	if (ik_reply_attrs(r, top, IKESEC_A_MAX) || !top[IKESEC_A_SA] ||
	    ik_attr_nested(top[IKESEC_A_SA], tb, IKESEC_SA_A_MAX)) {
		fprintf(stderr, "ikectl: skipping a malformed SA message\n");
		return;
	}
	dir = ik_attr_u8(tb[IKESEC_SA_A_DIR]);
	mode = ik_attr_u8(tb[IKESEC_SA_A_MODE]);
	flags = ik_attr_u32(tb[IKESEC_SA_A_FLAGS]);
	out = dir == IKESEC_DIR_OUT;
	addr_get(tb, IKESEC_SA_A_LOCAL_IPV4, IKESEC_SA_A_LOCAL_IPV6, &local);
	addr_get(tb, IKESEC_SA_A_PEER_IPV4, IKESEC_SA_A_PEER_IPV6, &peer);
	src = out ? &local : &peer;
	dst = out ? &peer : &local;

	pr_obj_open(NULL);
	pr_enum("dir", "dir %s", dir_name(dir), dir);
	pr_uint("spi", " spi 0x%08llx", ik_attr_u32(tb[IKESEC_SA_A_SPI]));
	pr_addr("src", " src %s", src->family, src->b);
	pr_addr("dst", " dst %s", dst->family, dst->b);
	pr_enum("mode", " mode %s", mode_name(mode), mode);
	print_algs(tb);
	pr_uint("reqid", "\n\treqid %llu", ik_attr_u32(tb[IKESEC_SA_A_REQID]));
	pr_arr_open("flags");
	pr_text(" flags%s", flags ? "" : " none");
	if (flags & IKESEC_SA_F_ESN)
		pr_str(NULL, " %s", "esn");
	if (flags & ~IKESEC_SA_F_ESN)
		pr_uint(NULL, " 0x%llx", flags & ~IKESEC_SA_F_ESN);
	pr_arr_close();
	pr_uint("replay-window", " replay-window %llu",
		ik_attr_u32(tb[IKESEC_SA_A_REPLAY_WINDOW]));
	pr_uint("seq", " seq %llu", ik_attr_u64(tb[IKESEC_SA_A_SEQ]));
	if (tb[IKESEC_SA_A_ENCAP_SPORT] || tb[IKESEC_SA_A_ENCAP_DPORT]) {
		pr_obj_open("encap");
		pr_uint("sport", "\n\tencap udp sport %llu",
			ik_attr_u16(tb[IKESEC_SA_A_ENCAP_SPORT]));
		pr_uint("dport", " dport %llu",
			ik_attr_u16(tb[IKESEC_SA_A_ENCAP_DPORT]));
		pr_obj_close();
	}
	pr_obj_open("lifetime");
	print_lifetime("soft", tb[IKESEC_SA_A_LIFETIME_SOFT], true);
	print_lifetime("hard", tb[IKESEC_SA_A_LIFETIME_HARD], true);
	print_lifetime("current", tb[IKESEC_SA_A_CURLIFE], false);
	pr_obj_close();
	sel_print("sel", "\n\tsel", tb[IKESEC_SA_A_SELECTOR]);
	pr_obj_open("stats");
	pr_text("\n\tstats");
	pr_counters(tb[IKESEC_SA_A_STATS], sa_stat_names,
		    ARRAY_SIZE(sa_stat_names), IKESEC_SA_STAT_PAD, " %s %llu");
	pr_text("\n");
	pr_obj_close();
	pr_obj_close();
}

/* sa get (doit, one SA) and sa show (dump, every SA). */
static int sa_query(const char *op, int argc, char **argv, bool dump)
{
	struct ik_reply *replies = NULL;
	const struct ik_reply *r;
	struct ik_nl *nl = NULL;
	struct ik_msg *m = NULL;
	struct sa_opts o;
	int ret;

	memset(&o, 0, sizeof(o));
	if (dump)
		ret = argc > 1 ? usage_error(op, "takes no arguments") : 0;
	else
		ret = sa_parse(op, argc, argv, false, &o);
	if (ret)
		goto out;
	ret = IK_EXIT_FAIL;
	if (ik_nl_open(op, &nl))
		goto out;
	m = ik_msg_new(nl, IKESEC_CMD_SA_GET, dump);
	if (!m)
		goto out;
	if (!dump)
		sa_put(m, &o, false);
	if (ik_nl_request(nl, m, op, &replies))
		goto out;
	if (dump)
		pr_arr_open(NULL);
	for (r = replies; r; r = ik_reply_next(r)) {
		if (r != replies)
			pr_text("\n");
		sa_print(r);
	}
	if (dump)
		pr_arr_close();
	pr_done();
	ret = IK_EXIT_OK;
out:
	ik_reply_free(replies);
	ik_msg_free(m);
	ik_nl_close(nl);
	return ret;
}

static int sa_get(int argc, char **argv)
{
	return sa_query("sa get", argc, argv, false);
}

static int sa_show(int argc, char **argv)
{
	return sa_query("sa show", argc, argv, true);
}

#define SA_ID	"dir in spi SPI | dir out spi SPI dst PEER"

const struct command sa_commands[] = {
	{ .name = "add", .handler = sa_add, .description = "add an SA",
	  .syntax = "dir in|out spi SPI src ADDR dst ADDR\n"
	  "\t[mode tunnel|transport] enc ALG KEY [auth ALG KEY]\n"
	  "\t[reqid N] [esn] [replay-window N] [seq N]\n"
	  "\t[encap UDP-SPORT UDP-DPORT]\n"
	  "\t[soft-bytes N] [soft-packets N] [soft-seconds N]\n"
	  "\t[hard-bytes N] [hard-packets N] [hard-seconds N]\n"
	  "\t[sel SRC-PREFIX DST-PREFIX [proto PROTO] [sport PORTS] [dport PORTS]]" },
	{ .name = "del", .handler = sa_del, .syntax = SA_ID,
	  .description = "delete one SA" },
	{ .name = "get", .handler = sa_get, .syntax = SA_ID,
	  .description = "print one SA" },
	{ .name = "show", .handler = sa_show,
	  .description = "print every SA of this network namespace" },
	{ .name = "flush", .handler = sa_flush,
	  .description = "delete every SA of this network namespace" },
	{ .name = NULL }
};

const char sa_notes[] =
	"src and dst are the outer addresses as on the wire: for `dir out' src is\n"
	"this host and dst the peer, for `dir in' src is the peer and dst this host.\n"
	"SPI and numbers are decimal or 0x-hex; an SPI is 256 or above. The mode\n"
	"defaults to tunnel. KEY is hex (0x optional); keys are never printed.\n"
	"ALG for enc:\n"
	"  aes-gcm            alias rfc4106(gcm(aes)); KEY 20 or 36 bytes\n"
	"                     (16- or 32-byte AES key + 4-byte salt)\n"
	"  chacha20-poly1305  alias rfc7539esp(chacha20,poly1305); KEY 36 bytes\n"
	"                     (32-byte key + 4-byte salt)\n"
	"  aes-cbc            alias cbc(aes); KEY 16, 24 or 32 bytes; needs auth\n"
	"ALG for auth (aes-cbc only):\n"
	"  hmac-sha256        alias hmac(sha256); KEY 32 bytes, 128-bit ICV\n"
	"  hmac-sha1          alias hmac(sha1); KEY 20 bytes, 96-bit ICV\n"
	"replay-window is 0 (off) to 4096 packets. Lifetimes count from when the\n"
	"SA is added; 0 means unlimited. PROTO is tcp, udp, icmp, ipv6-icmp or\n"
	"0..255; PORTS is P or FIRST-LAST and needs a PROTO.\n";
