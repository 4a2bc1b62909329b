// SPDX-License-Identifier: GPL-2.0
/* ikesec: ESP (RFC 4303) for Linux. Subsystems come up in this order and go
 * down in reverse.
 */
#include <linux/module.h>
#include <net/genetlink.h>

#include "deliver.h"
#include "hooks.h"
#include "netlink.h"
#include "netns.h"
#include "parallel.h"
#include "policy.h"
#include "replay.h"
#include "sa.h"

static int __init ikesec_init(void)
{
	int err;

	if (!ikesec_replay_selftest())
		return -ENOTRECOVERABLE;
	ikesec_hooks_module_init();
	err = ikesec_sa_cache_init();
	if (err)
		goto uninit_hooks;
	err = ikesec_policy_cache_init();
	if (err)
		goto uninit_sa_cache;
	err = ikesec_deliver_init();
	if (err)
		goto uninit_policy_cache;
	err = ikesec_par_init();
	if (err)
		goto uninit_deliver;
	err = ikesec_netns_init();
	if (err)
		goto uninit_par;
	err = ikesec_netlink_init();
	if (err)
		goto uninit_netns;

	pr_info("loaded, netlink family %s version %d\n", IKESEC_GENL_NAME,
		IKESEC_GENL_VERSION);
	return 0;

uninit_netns:
	ikesec_netns_uninit();
uninit_par:
	ikesec_par_uninit();
uninit_deliver:
	ikesec_deliver_uninit();
uninit_policy_cache:
	rcu_barrier();
	ikesec_policy_cache_uninit();
uninit_sa_cache:
	ikesec_sa_cache_uninit();
uninit_hooks:
	ikesec_hooks_module_uninit();
	return err;
}

static void __exit ikesec_exit(void)
{
	ikesec_netlink_uninit();
	ikesec_netns_uninit();
	ikesec_par_uninit();
	ikesec_deliver_uninit();
	/* SAs and policies go back to their caches after a grace period. */
	rcu_barrier();
	ikesec_policy_cache_uninit();
	ikesec_sa_cache_uninit();
	ikesec_hooks_module_uninit();
}

module_init(ikesec_init);
module_exit(ikesec_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ikesec: ESP for IKEv2 VPNs");
MODULE_ALIAS_GENL_FAMILY(IKESEC_GENL_NAME);
