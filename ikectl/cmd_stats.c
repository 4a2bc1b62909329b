// SPDX-License-Identifier: GPL-2.0
/* ikectl stats and ikectl version: both read IKESEC_CMD_GET_INFO. */
#include <stdio.h>

#include <linux/ikesec.h>

#include "cmd.h"
#include "nl.h"
#include "print.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Per-netns counters, named in the style of /proc/net/xfrm_stat. */
static const char *const stat_names[] = {
	[IKESEC_STAT_IN_PACKETS] = "in-packets",
	[IKESEC_STAT_IN_BYTES] = "in-bytes",
	[IKESEC_STAT_OUT_PACKETS] = "out-packets",
	[IKESEC_STAT_OUT_BYTES] = "out-bytes",
	[IKESEC_STAT_IN_NO_SA] = "in-no-sa",
	[IKESEC_STAT_IN_HDR_ERRORS] = "in-hdr-errors",
	[IKESEC_STAT_IN_REPLAY] = "in-replay",
	[IKESEC_STAT_IN_AUTH_FAILS] = "in-auth-fails",
	[IKESEC_STAT_IN_PAD_ERRORS] = "in-pad-errors",
	[IKESEC_STAT_IN_SELECTOR_DROPS] = "in-selector-drops",
	[IKESEC_STAT_IN_POLICY_DROPS] = "in-policy-drops",
	[IKESEC_STAT_IN_NATT_DROPS] = "in-natt-drops",
	[IKESEC_STAT_IN_EXPIRED] = "in-expired",
	[IKESEC_STAT_IN_ERRORS] = "in-errors",
	[IKESEC_STAT_OUT_NO_SA] = "out-no-sa",
	[IKESEC_STAT_OUT_POLICY_DROPS] = "out-policy-drops",
	[IKESEC_STAT_OUT_SEQ_OVERFLOW] = "out-seq-overflow",
	[IKESEC_STAT_OUT_MTU_DROPS] = "out-mtu-drops",
	[IKESEC_STAT_OUT_ERRORS] = "out-errors",
	[IKESEC_STAT_ACQUIRES] = "acquires",
	[IKESEC_STAT_IN_PARALLEL] = "in-parallel",
	[IKESEC_STAT_OUT_PARALLEL] = "out-parallel",
};

/* One GET_INFO; tb points into *reply, which the caller frees. */
static int get_info(const char *op, struct ik_reply **reply,
		    const struct ik_attr **tb)
{
	struct ik_nl *nl = NULL;
	struct ik_msg *m = NULL;
	int ret = -1;

	if (ik_nl_open(op, &nl))
		goto out;
	m = ik_msg_new(nl, IKESEC_CMD_GET_INFO, false);
	if (!m || ik_nl_request(nl, m, op, reply))
		goto out;
	if (!*reply || ik_reply_attrs(*reply, tb, IKESEC_A_MAX)) {
		fprintf(stderr, "ikectl: %s: malformed reply from the module\n",
			op);
		goto out;
	}
	ret = 0;
out:
	ik_msg_free(m);
	ik_nl_close(nl);
	return ret;
}

int cmd_stats(int argc, char **argv)
{
	const struct ik_attr *tb[IKESEC_A_MAX + 1];
	struct ik_reply *reply = NULL;
	int ret = IK_EXIT_FAIL;

	(void)argv;
	if (argc > 1)
		return usage_error("stats", "takes no arguments");
	if (get_info("stats", &reply, tb))
		goto out;
	pr_obj_open(NULL);
	pr_counters(tb[IKESEC_A_STATS], stat_names, ARRAY_SIZE(stat_names),
		    IKESEC_STAT_PAD, "%s %llu\n");
	pr_uint("sa-count", "sa-count %llu\n",
		ik_attr_u32(tb[IKESEC_A_SA_COUNT]));
	pr_uint("policy-count", "policy-count %llu\n",
		ik_attr_u32(tb[IKESEC_A_POLICY_COUNT]));
	pr_obj_close();
	pr_done();
	ret = IK_EXIT_OK;
out:
	ik_reply_free(reply);
	return ret;
}

int cmd_version(int argc, char **argv)
{
	const struct ik_attr *tb[IKESEC_A_MAX + 1];
	struct ik_reply *reply = NULL;
	uint32_t abi;
	int ret = IK_EXIT_FAIL;

	(void)argv;
	if (argc > 1)
		return usage_error("version", "takes no arguments");
	if (!pr_json)
		printf("ikectl %s (netlink interface version %d)\n",
		       IKECTL_VERSION, IKESEC_GENL_VERSION);
	fflush(stdout);
	if (get_info("version", &reply, tb))
		goto out;
	abi = ik_attr_u32(tb[IKESEC_A_VERSION]);
	pr_obj_open(NULL);
	pr_str("ikectl", NULL, IKECTL_VERSION);
	pr_uint("ikectl-abi", NULL, IKESEC_GENL_VERSION);
	pr_uint("module-abi", "ikesec module (netlink interface version %llu)\n",
		abi);
	pr_obj_close();
	pr_done();
	if (abi != IKESEC_GENL_VERSION)
		fprintf(stderr,
			"ikectl: version: the module speaks netlink interface version %u, ikectl %d; they may not understand each other\n",
			abi, IKESEC_GENL_VERSION);
	ret = IK_EXIT_OK;
out:
	ik_reply_free(reply);
	return ret;
}
