// SPDX-License-Identifier: GPL-2.0
/*
 * The ikesec generic netlink transport over libnl; see nl.h.
 *
 * Errors: the socket asks for extended acks (NETLINK_EXT_ACK) without the
 * request echoed back (NETLINK_CAP_ACK: requests carry keys). The kernel's
 * message, the attribute it points at (named by walking the request we
 * sent) and the policy it failed are turned into one line of text.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include <linux/ikesec.h>

#include "attrs.h"
#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define IK_NEST_MAX	4	/* deepest nesting a request needs + 1 */
#define IK_DUMP_TRIES	5	/* attempts at a dump that keeps changing */

struct ik_nl {
	struct nl_sock *sk;
	int family;
};

struct ik_msg {
	struct nl_msg *msg;
	struct nlattr *nest[IK_NEST_MAX];
	int depth;
	int err;		/* first failure while building, -errno */
	uint8_t cmd;
};

struct ik_reply {
	struct ik_reply *next;
	size_t len;
	unsigned char attrs[];	/* the genl payload after its header */
};

/* State of one ik_nl_request(), shared by the callbacks. */
struct req_ctx {
	const struct ik_msg *req;
	const char *op;
	int family;
	unsigned int seq;
	bool want_replies;
	bool done;
	bool intr;		/* NLM_F_DUMP_INTR seen */
	int err;		/* -errno from the kernel or ours */
	struct ik_reply *head, **tail;
};

static const struct nlattr *as_nla(const struct ik_attr *a)
{
	return (const struct nlattr *)a;
}

static const struct ik_attr *as_ik(const struct nlattr *nla)
{
	return (const struct ik_attr *)nla;
}

int ik_nl_open(const char *op, struct ik_nl **nlp)
{
	struct ik_nl *nl;
	int one = 1, fd, err;

	*nlp = NULL;
	nl = calloc(1, sizeof(*nl));
	if (nl)
		nl->sk = nl_socket_alloc();
	if (!nl || !nl->sk) {
		fprintf(stderr, "ikectl: %s: out of memory\n", op);
		err = -ENOMEM;
		goto fail;
	}
	err = genl_connect(nl->sk);
	if (err) {
		fprintf(stderr,
			"ikectl: %s: cannot open a generic netlink socket: %s\n",
			op, nl_geterror(err));
		err = -EIO;
		goto fail;
	}
	/* Best effort: without them an old kernel's errors are just terse. */
	fd = nl_socket_get_fd(nl->sk);
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	/* Replies may be larger than a page; size the buffer by peeking. */
	nl_socket_enable_msg_peek(nl->sk);

	nl->family = genl_ctrl_resolve(nl->sk, IKESEC_GENL_NAME);
	if (nl->family == -NLE_OBJ_NOTFOUND) {
		fprintf(stderr,
			"ikectl: %s: ikesec module not loaded (generic netlink family `%s' not found); try: modprobe ikesec or insmod kmod/ikesec.ko\n",
			op, IKESEC_GENL_NAME);
		err = -ENOENT;
		goto fail;
	}
	if (nl->family < 0) {
		fprintf(stderr,
			"ikectl: %s: cannot resolve generic netlink family `%s': %s\n",
			op, IKESEC_GENL_NAME, nl_geterror(nl->family));
		err = -EIO;
		goto fail;
	}
	*nlp = nl;
	return 0;

fail:
	ik_nl_close(nl);
	return err;
}

void ik_nl_close(struct ik_nl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sk);
	free(nl);
}

struct ik_msg *ik_msg_new(struct ik_nl *nl, uint8_t cmd, bool dump)
{
	struct ik_msg *m = calloc(1, sizeof(*m));

	if (m)
		m->msg = nlmsg_alloc();
	if (!m || !m->msg)
		goto nomem;
	m->cmd = cmd;
	if (!genlmsg_put(m->msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 dump ? NLM_F_DUMP : 0, cmd, IKESEC_GENL_VERSION))
		goto nomem;
	return m;

nomem:
	fprintf(stderr, "ikectl: out of memory\n");
	ik_msg_free(m);
	return NULL;
}

void ik_msg_free(struct ik_msg *m)
{
	if (!m)
		return;
	if (m->msg) {
		explicit_bzero(nlmsg_hdr(m->msg), nlmsg_get_max_size(m->msg));
		nlmsg_free(m->msg);
	}
	free(m);
}

static void put_result(struct ik_msg *m, int err)
{
	if (err < 0 && !m->err)
		m->err = -EMSGSIZE;
}

void ik_put_u8(struct ik_msg *m, int type, uint8_t v)
{
	if (!m->err)
		put_result(m, nla_put_u8(m->msg, type, v));
}

void ik_put_u16(struct ik_msg *m, int type, uint16_t v)
{
	if (!m->err)
		put_result(m, nla_put_u16(m->msg, type, v));
}

void ik_put_u32(struct ik_msg *m, int type, uint32_t v)
{
	if (!m->err)
		put_result(m, nla_put_u32(m->msg, type, v));
}

/* A bare 8-byte attribute: the kernel's nla_get_u64() copes with any
 * alignment, and libnl has no 64-bit pad helper.
 */
void ik_put_u64(struct ik_msg *m, int type, uint64_t v)
{
	if (!m->err)
		put_result(m, nla_put_u64(m->msg, type, v));
}

void ik_put_flag(struct ik_msg *m, int type)
{
	if (!m->err)
		put_result(m, nla_put_flag(m->msg, type));
}

void ik_put_data(struct ik_msg *m, int type, const void *data, size_t len)
{
	if (!m->err)
		put_result(m, nla_put(m->msg, type, (int)len, data));
}

void ik_nest_start(struct ik_msg *m, int type)
{
	if (m->err)
		return;
	if (m->depth == IK_NEST_MAX) {
		m->err = -E2BIG;
		return;
	}
	m->nest[m->depth] = nla_nest_start(m->msg, type | NLA_F_NESTED);
	if (!m->nest[m->depth])
		m->err = -EMSGSIZE;
	else
		m->depth++;
}

void ik_nest_end(struct ik_msg *m)
{
	if (m->err)
		return;
	if (!m->depth) {
		m->err = -EINVAL;
		return;
	}
	nla_nest_end(m->msg, m->nest[--m->depth]);
}

/*
 * Find the attribute of the request that starts at byte off (from the
 * netlink header), descending through nests we know. Writes its path of
 * names into path and returns its description (NULL if unnamed); *hint
 * gets the ikectl words of the innermost attribute that has some.
 */
static const struct attr_desc *walk_request(const struct ik_msg *m,
					    uint32_t off, char *path,
					    size_t size, const char **hint)
{
	const struct nlmsghdr *hdr = nlmsg_hdr(m->msg);
	const struct attr_space *space = &ikesec_attr_space;
	const struct attr_desc *d = NULL;
	const char *base = (const char *)hdr;
	const struct nlattr *nla;
	size_t n = 0;
	int rem;

	path[0] = '\0';
	*hint = NULL;
	nla = (const struct nlattr *)(base + NLMSG_HDRLEN + GENL_HDRLEN);
	rem = (int)hdr->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	while (nla_ok(nla, rem)) {
		uint32_t start = (uint32_t)((const char *)nla - base);

		if (off < start || off >= start + nla->nla_len) {
			nla = nla_next(nla, &rem);
			continue;
		}
		d = attr_desc(space, nla_type(nla));
		if (n < size) {
			if (d)
				n += snprintf(path + n, size - n, "%s%s",
					      n ? "/" : "", d->name);
			else
				n += snprintf(path + n, size - n,
					      "%sattribute %d", n ? "/" : "",
					      nla_type(nla));
		}
		if (d && d->keyword)
			*hint = d->keyword;
		if (off == start || !d || !d->nest)
			return off == start ? d : NULL;
		space = d->nest;
		rem = nla_len(nla);
		nla = nla_data(nla);
	}
	if (!n)
		snprintf(path, size, "the attribute at offset %u", off);
	return NULL;
}

static const char *policy_type_name(uint32_t type)
{
	static const char *const names[] = {
		[NL_ATTR_TYPE_FLAG] = "a flag",
		[NL_ATTR_TYPE_U8] = "a u8",
		[NL_ATTR_TYPE_U16] = "a u16",
		[NL_ATTR_TYPE_U32] = "a u32",
		[NL_ATTR_TYPE_U64] = "a u64",
		[NL_ATTR_TYPE_S8] = "an s8",
		[NL_ATTR_TYPE_S16] = "an s16",
		[NL_ATTR_TYPE_S32] = "an s32",
		[NL_ATTR_TYPE_S64] = "an s64",
		[NL_ATTR_TYPE_BINARY] = "binary",
		[NL_ATTR_TYPE_STRING] = "a string",
		[NL_ATTR_TYPE_NUL_STRING] = "a string",
		[NL_ATTR_TYPE_NESTED] = "a nest",
		[NL_ATTR_TYPE_NESTED_ARRAY] = "a nested array",
		[NL_ATTR_TYPE_BITFIELD32] = "a bitfield32",
	};

	if (type < ARRAY_SIZE(names) && names[type])
		return names[type];
	return "a value";
}

/* What the failed policy wanted: "expects a u32 in 256..4294967295". */
static void describe_policy(const struct nlattr *pol, char *buf, size_t size)
{
	struct nlattr *tb[NL_POLICY_TYPE_ATTR_MAX + 1];
	const char *type = "a value";
	uint32_t lo, hi;

	buf[0] = '\0';
	if (nla_parse_nested(tb, NL_POLICY_TYPE_ATTR_MAX, (struct nlattr *)pol,
			     NULL))
		return;
	if (tb[NL_POLICY_TYPE_ATTR_TYPE])
		type = policy_type_name(nla_get_u32(tb[NL_POLICY_TYPE_ATTR_TYPE]));
	if (tb[NL_POLICY_TYPE_ATTR_MASK]) {
		snprintf(buf, size, "expects %s with only bits 0x%llx", type,
			 (unsigned long long)
			 nla_get_u64(tb[NL_POLICY_TYPE_ATTR_MASK]));
	} else if (tb[NL_POLICY_TYPE_ATTR_MIN_VALUE_U] &&
		   tb[NL_POLICY_TYPE_ATTR_MAX_VALUE_U]) {
		snprintf(buf, size, "expects %s in %llu..%llu", type,
			 (unsigned long long)
			 nla_get_u64(tb[NL_POLICY_TYPE_ATTR_MIN_VALUE_U]),
			 (unsigned long long)
			 nla_get_u64(tb[NL_POLICY_TYPE_ATTR_MAX_VALUE_U]));
	} else if (tb[NL_POLICY_TYPE_ATTR_MIN_VALUE_S] &&
		   tb[NL_POLICY_TYPE_ATTR_MAX_VALUE_S]) {
		snprintf(buf, size, "expects %s in %lld..%lld", type,
			 (long long)
			 nla_get_u64(tb[NL_POLICY_TYPE_ATTR_MIN_VALUE_S]),
			 (long long)
			 nla_get_u64(tb[NL_POLICY_TYPE_ATTR_MAX_VALUE_S]));
	} else if (tb[NL_POLICY_TYPE_ATTR_MIN_LENGTH] ||
		   tb[NL_POLICY_TYPE_ATTR_MAX_LENGTH]) {
		lo = tb[NL_POLICY_TYPE_ATTR_MIN_LENGTH] ?
		     nla_get_u32(tb[NL_POLICY_TYPE_ATTR_MIN_LENGTH]) : 0;
		hi = tb[NL_POLICY_TYPE_ATTR_MAX_LENGTH] ?
		     nla_get_u32(tb[NL_POLICY_TYPE_ATTR_MAX_LENGTH]) : 0;
		if (lo == hi)
			snprintf(buf, size, "expects %s of %u bytes", type, lo);
		else if (!hi)
			snprintf(buf, size, "expects %s of at least %u bytes",
				 type, lo);
		else
			snprintf(buf, size, "expects %s of %u..%u bytes", type,
				 lo, hi);
	} else if (tb[NL_POLICY_TYPE_ATTR_TYPE]) {
		snprintf(buf, size, "expects %s", type);
	}
}

/* Our wording when the kernel sent no message. */
static const char *default_reason(const struct req_ctx *ctx, int err,
				  char *buf, size_t size)
{
	const char *cmd = cmd_name(ctx->req->cmd);

	switch (err) {
	case -EPERM:
		return "permission denied: CAP_NET_ADMIN needed in this network namespace";
	case -EOPNOTSUPP:
		snprintf(buf, size,
			 "the loaded ikesec module does not implement %s yet",
			 cmd ? cmd : "this command");
		return buf;
	case -ENOENT:
		return "not found";
	case -EEXIST:
		return "already exists";
	}
	return "request failed";
}

/*
 * Print "ikectl: <op>: <message>[: <attribute> (`<keyword>')][, <policy>]
 * (<strerror>)" from the extack TLVs (tlv may be NULL).
 */
static void report(struct req_ctx *ctx, int err, const struct nlattr *tlv,
		   int len)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = { NULL };
	char path[192] = "", why[96] = "", buf[128];
	const struct attr_desc *d, *miss = NULL;
	const char *msg = NULL, *hint = NULL;
	int msglen = 0;

	if (tlv && len > 0)
		nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)tlv, len,
			  NULL);
	if (tb[NLMSGERR_ATTR_MSG] && nla_len(tb[NLMSGERR_ATTR_MSG]) > 0) {
		msg = nla_data(tb[NLMSGERR_ATTR_MSG]);
		msglen = (int)strnlen(msg, nla_len(tb[NLMSGERR_ATTR_MSG]));
	}
	if (tb[NLMSGERR_ATTR_OFFS])
		walk_request(ctx->req, nla_get_u32(tb[NLMSGERR_ATTR_OFFS]),
			     path, sizeof(path), &hint);
	if (tb[NLMSGERR_ATTR_POLICY])
		describe_policy(tb[NLMSGERR_ATTR_POLICY], why, sizeof(why));
	if (tb[NLMSGERR_ATTR_MISS_TYPE]) {
		const struct attr_space *space = &ikesec_attr_space;

		if (tb[NLMSGERR_ATTR_MISS_NEST]) {
			d = walk_request(ctx->req,
					 nla_get_u32(tb[NLMSGERR_ATTR_MISS_NEST]),
					 buf, sizeof(buf), &hint);
			space = d ? d->nest : NULL;
		}
		miss = attr_desc(space,
				 (int)nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]));
		snprintf(path, sizeof(path), "missing %s",
			 miss ? miss->name : "a required attribute");
		hint = miss ? miss->keyword : NULL;
	}

	if (err == -EPERM || !msg) {
		msg = default_reason(ctx, err, buf, sizeof(buf));
		msglen = (int)strlen(msg);
	}
	fprintf(stderr, "ikectl: %s: %.*s", ctx->op, msglen, msg);
	if (path[0])
		fprintf(stderr, ": %s", path);
	if (hint)
		fprintf(stderr, " (`%s')", hint);
	if (why[0])
		fprintf(stderr, ", %s", why);
	fprintf(stderr, " (%s)\n", strerror(-err));
	ctx->err = err;
	ctx->done = true;
}

/* Where the extack TLVs of an error or ack message start, and how long. */
static const struct nlattr *ack_tlvs(const struct nlmsghdr *hdr, int *len)
{
	const struct nlmsgerr *e = nlmsg_data(hdr);
	size_t off = sizeof(*e);

	*len = 0;
	if (!(hdr->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	if (!(hdr->nlmsg_flags & NLM_F_CAPPED) &&
	    e->msg.nlmsg_len > NLMSG_HDRLEN)
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	off = NLMSG_HDRLEN + NLMSG_ALIGN(off);
	if (off >= hdr->nlmsg_len)
		return NULL;
	*len = (int)(hdr->nlmsg_len - off);
	return (const struct nlattr *)((const char *)hdr + off);
}

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	/* libnl hands us the payload of the NLMSG_ERROR message. */
	const struct nlmsghdr *hdr =
		(const struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct req_ctx *ctx = arg;
	const struct nlattr *tlv;
	int len;

	(void)who;
	if (e->msg.nlmsg_seq != ctx->seq)
		return NL_SKIP;
	tlv = ack_tlvs(hdr, &len);
	report(ctx, e->error < 0 ? e->error : -e->error, tlv, len);
	return NL_STOP;
}

static int on_seq_check(struct nl_msg *msg, void *arg)
{
	struct req_ctx *ctx = arg;

	return nlmsg_hdr(msg)->nlmsg_seq == ctx->seq ? NL_OK : NL_SKIP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct req_ctx *ctx = arg;
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = { NULL };
	const struct nlattr *tlv;
	int len;

	tlv = ack_tlvs(nlmsg_hdr(msg), &len);
	if (tlv && !nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)tlv, len,
			      NULL) && tb[NLMSGERR_ATTR_MSG])
		fprintf(stderr, "ikectl: %s: warning: %.*s\n", ctx->op,
			nla_len(tb[NLMSGERR_ATTR_MSG]),
			(const char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	ctx->done = true;
	return NL_STOP;
}

/* NLMSG_DONE carries the dump's error code, then extack TLVs. */
static int on_finish(struct nl_msg *msg, void *arg)
{
	const struct nlmsghdr *hdr = nlmsg_hdr(msg);
	struct req_ctx *ctx = arg;
	int err = 0, off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(int));

	if (hdr->nlmsg_len >= NLMSG_HDRLEN + sizeof(int))
		memcpy(&err, nlmsg_data(hdr), sizeof(int));
	if (err < 0)
		report(ctx, err, (hdr->nlmsg_flags & NLM_F_ACK_TLVS) &&
		       (int)hdr->nlmsg_len > off ?
		       (const struct nlattr *)((const char *)hdr + off) : NULL,
		       (int)hdr->nlmsg_len - off);
	ctx->done = true;
	return NL_STOP;
}

static int on_dump_intr(struct nl_msg *msg, void *arg)
{
	struct req_ctx *ctx = arg;

	(void)msg;
	ctx->intr = true;
	return NL_OK;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	const struct nlmsghdr *hdr = nlmsg_hdr(msg);
	struct req_ctx *ctx = arg;
	struct ik_reply *r;
	size_t len;

	if (!ctx->want_replies || hdr->nlmsg_type != ctx->family ||
	    !genlmsg_valid_hdr((struct nlmsghdr *)hdr, 0))
		return NL_OK;
	len = (size_t)genlmsg_attrlen(nlmsg_data(hdr), 0);
	r = malloc(sizeof(*r) + len);
	if (!r) {
		fprintf(stderr, "ikectl: %s: out of memory\n", ctx->op);
		ctx->err = -ENOMEM;
		ctx->done = true;
		return NL_STOP;
	}
	r->next = NULL;
	r->len = len;
	memcpy(r->attrs, genlmsg_attrdata(nlmsg_data(hdr), 0), len);
	*ctx->tail = r;
	ctx->tail = &r->next;
	return NL_OK;
}

/* Send once and read until the ack, the error or the end of the dump. */
static int transact(struct ik_nl *nl, struct ik_msg *m, struct nl_cb *cb,
		    struct req_ctx *ctx)
{
	int err;

	ik_reply_free(ctx->head);
	ctx->head = NULL;
	ctx->tail = &ctx->head;
	ctx->done = ctx->intr = false;
	ctx->err = 0;

	nlmsg_hdr(m->msg)->nlmsg_seq = NL_AUTO_SEQ;
	err = nl_send_auto(nl->sk, m->msg);
	if (err < 0) {
		fprintf(stderr, "ikectl: %s: cannot send the request: %s\n",
			ctx->op, nl_geterror(err));
		return -EIO;
	}
	ctx->seq = nlmsg_hdr(m->msg)->nlmsg_seq;
	while (!ctx->done) {
		err = nl_recvmsgs(nl->sk, cb);
		if (err < 0 && !ctx->done) {
			fprintf(stderr, "ikectl: %s: netlink receive failed: %s\n",
				ctx->op, nl_geterror(err));
			return -EIO;
		}
	}
	return ctx->err;
}

int ik_nl_request(struct ik_nl *nl, struct ik_msg *m, const char *op,
		  struct ik_reply **replies)
{
	struct req_ctx ctx = {
		.req = m,
		.op = op,
		.family = nl->family,
		.want_replies = replies != NULL,
	};
	struct nl_cb *cb = NULL;
	int err, tries = 0;

	if (replies)
		*replies = NULL;
	if (m->err || m->depth) {
		fprintf(stderr, "ikectl: %s: cannot build the request: %s\n",
			op, strerror(m->err ? -m->err : EINVAL));
		return m->err ? m->err : -EINVAL;
	}
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		fprintf(stderr, "ikectl: %s: out of memory\n", op);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, on_seq_check, &ctx);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &ctx);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &ctx);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &ctx);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, on_dump_intr, &ctx);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &ctx);

	do {
		err = transact(nl, m, cb, &ctx);
	} while (!err && ctx.intr && ++tries < IK_DUMP_TRIES);
	if (!err && ctx.intr) {
		fprintf(stderr,
			"ikectl: %s: the list kept changing while being read; try again\n",
			op);
		err = -EAGAIN;
	}
	nl_cb_put(cb);
	if (err || !replies)
		ik_reply_free(ctx.head);
	else
		*replies = ctx.head;
	return err;
}

const struct ik_reply *ik_reply_next(const struct ik_reply *r)
{
	return r->next;
}

void ik_reply_free(struct ik_reply *r)
{
	while (r) {
		struct ik_reply *next = r->next;

		free(r);
		r = next;
	}
}

static int index_attrs(const struct nlattr *head, int len,
		       const struct ik_attr **tb, int max)
{
	const struct nlattr *nla = head;
	int rem = len;

	memset(tb, 0, sizeof(*tb) * (size_t)(max + 1));
	while (nla_ok(nla, rem)) {
		if (nla_type(nla) <= max)
			tb[nla_type(nla)] = as_ik(nla);
		nla = nla_next(nla, &rem);
	}
	return rem >= NLA_HDRLEN ? -1 : 0;
}

int ik_reply_attrs(const struct ik_reply *r, const struct ik_attr **tb,
		   int max)
{
	return index_attrs((const struct nlattr *)r->attrs, (int)r->len, tb,
			   max);
}

int ik_attr_nested(const struct ik_attr *nest, const struct ik_attr **tb,
		   int max)
{
	return index_attrs(nla_data(as_nla(nest)), nla_len(as_nla(nest)), tb,
			   max);
}

void ik_attr_for_each(const struct ik_attr *nest,
		      void (*fn)(const struct ik_attr *a, void *arg),
		      void *arg)
{
	const struct nlattr *nla = nla_data(as_nla(nest));
	int rem = nla_len(as_nla(nest));

	while (nla_ok(nla, rem)) {
		fn(as_ik(nla), arg);
		nla = nla_next(nla, &rem);
	}
}

int ik_attr_type(const struct ik_attr *a)
{
	return nla_type(as_nla(a));
}

size_t ik_attr_len(const struct ik_attr *a)
{
	return (size_t)nla_len(as_nla(a));
}

const void *ik_attr_data(const struct ik_attr *a)
{
	return nla_data(as_nla(a));
}

static uint64_t attr_uint(const struct ik_attr *a, size_t size)
{
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	if (!a || ik_attr_len(a) != size)
		return 0;
	switch (size) {
	case 1:
		memcpy(&u8, ik_attr_data(a), 1);
		return u8;
	case 2:
		memcpy(&u16, ik_attr_data(a), 2);
		return u16;
	case 4:
		memcpy(&u32, ik_attr_data(a), 4);
		return u32;
	}
	memcpy(&u64, ik_attr_data(a), 8);
	return u64;
}

uint8_t ik_attr_u8(const struct ik_attr *a)
{
	return (uint8_t)attr_uint(a, 1);
}

uint16_t ik_attr_u16(const struct ik_attr *a)
{
	return (uint16_t)attr_uint(a, 2);
}

uint32_t ik_attr_u32(const struct ik_attr *a)
{
	return (uint32_t)attr_uint(a, 4);
}

uint64_t ik_attr_u64(const struct ik_attr *a)
{
	return attr_uint(a, 8);
}
