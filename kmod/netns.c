// SPDX-License-Identifier: GPL-2.0
/* Per network namespace state: created with the namespace, torn down with
 * it or at module unload, whichever comes first.
 */
#include <net/netns/generic.h>

#include "esp.h"
#include "hooks.h"
#include "natt.h"
#include "netns.h"
#include "policy.h"
#include "sa.h"
#include "timers.h"

static unsigned int ikesec_net_id __read_mostly;

struct ikesec_net *ikesec_net(const struct net *net)
{
	return net_generic(net, ikesec_net_id);
}

void ikesec_net_stats_read(struct ikesec_net *in, u64 out[__IKESEC_STAT_MAX])
{
	int cpu, i;

	memset(out, 0, sizeof(u64) * __IKESEC_STAT_MAX);
	for_each_possible_cpu(cpu) {
		const struct ikesec_net_stats *st = per_cpu_ptr(in->stats, cpu);
		u64 v[__IKESEC_STAT_MAX];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&st->syncp);
			memcpy(v, st->ctr, sizeof(v));
		} while (u64_stats_fetch_retry(&st->syncp, start));
		for (i = 0; i < __IKESEC_STAT_MAX; i++)
			out[i] += v[i];
	}
}

static int __net_init ikesec_net_init(struct net *net)
{
	struct ikesec_net *in = ikesec_net(net);
	int cpu, err;

	in->net = net;
	mutex_init(&in->lock);
	in->stats = alloc_percpu(struct ikesec_net_stats);
	if (!in->stats)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(in->stats, cpu)->syncp);

	xa_init(&in->spi_resv);
	ikesec_natt_init(in);
	ikesec_expire_init(in);
	err = ikesec_sad_init(in);
	if (err)
		goto free_stats;
	err = ikesec_spd_init(in);
	if (err)
		goto uninit_sad;
	err = ikesec_hooks_init(in);
	if (err)
		goto uninit_spd;
	return 0;

uninit_spd:
	ikesec_spd_uninit(in);
uninit_sad:
	ikesec_sad_uninit(in);
free_stats:
	free_percpu(in->stats);
	return err;
}

static void __net_exit ikesec_net_exit(struct net *net)
{
	struct ikesec_net *in = ikesec_net(net);

	ikesec_hooks_uninit(in);
	ikesec_natt_uninit(in);
	ikesec_esp_wait(in);	/* no packet enters now; async ones finish */
	/* Flushing stops the lifetime timers; then no expiry can be queued
	 * and the queued ones can still look up the table.
	 */
	ikesec_sa_flush(in);
	ikesec_expire_uninit(in);
	ikesec_sad_uninit(in);
	ikesec_spd_uninit(in);
	xa_destroy(&in->spi_resv);
	/* SAs are freed after a grace period and may still count. */
	rcu_barrier();
	free_percpu(in->stats);
}

static struct pernet_operations ikesec_net_ops = {
	.init = ikesec_net_init,
	.exit = ikesec_net_exit,
	.id = &ikesec_net_id,
	.size = sizeof(struct ikesec_net),
};

int ikesec_netns_init(void)
{
	return register_pernet_subsys(&ikesec_net_ops);
}

void ikesec_netns_uninit(void)
{
	unregister_pernet_subsys(&ikesec_net_ops);
}
