// SPDX-License-Identifier: GPL-2.0
/* Decrypted packets re-enter the stack on the device the ESP packet came
 * in on (tunnel and transport mode alike, as XFRM re-runs PRE_ROUTING),
 * through GRO: a per-CPU NAPI instance on a dummy device of ours, as
 * gro_cells has per tunnel device, so that the segments of one TCP flow
 * go up as one large packet.
 *
 * The inbound SPD check (LOCAL_IN, FORWARD) must still know that a packet
 * was decrypted, and by which reqid, without touching the skb: skb->mark
 * belongs to the user, skb extensions cannot be added by a module, and a
 * virtual device would change the routing and rp_filter behaviour of the
 * inner packet. So a per-CPU mark is set while the packets of one reqid
 * go up: the poll function takes the queue in runs of equal reqid (and
 * device and namespace), sets the mark, feeds the run to GRO, and before
 * the mark changes or the poll returns it flushes GRO and the list of
 * packets GRO completed. Every packet then reaches the stack inside the
 * poll, on this CPU, under its own reqid; packets of two runs are never
 * merged. Only packets of this queue enter this NAPI's GRO, so cleartext
 * never shares a GRO list with decrypted packets. Anything that defers a
 * packet past the poll (RPS to another CPU, a queueing target) loses the
 * mark and fails closed: the packet is then treated as cleartext. Limit:
 * an inner fragment completing a reassembly queue lends the mark to
 * fragments that came in the clear.
 *
 * A device with GRO off (veth's default) gets no GRO here either, as
 * with gro_cells: its packets go up at once, under the mark, as they did
 * before this queue existed; a detour through it would only add latency.
 *
 * A queued packet holds its device and a count in in->crypto_pending, so
 * that neither the device nor the namespace goes away under it.
 */
#include <linux/netdevice.h>

#include "compat.h"
#include "deliver.h"
#include "esp.h"

struct rx_mark {
	bool active;
	u32 reqid;
};

static DEFINE_PER_CPU(struct rx_mark, rx_mark);

struct rx_cell {
	struct sk_buff_head queue;
	struct napi_struct napi;
};

static DEFINE_PER_CPU(struct rx_cell, rx_cells);
static struct net_device *napi_dev;

struct deliver_cb {
	struct ikesec_net *in;
	u32 reqid;
};

#define DELIVER_CB(skb) ((struct deliver_cb *)(skb)->cb)

/* The packets of one poll that share reqid, device and namespace. */
struct run {
	struct ikesec_net *in;
	struct net_device *dev;
	u32 reqid;
	unsigned int n;
};

bool ikesec_deliver_marked(u32 *reqid)
{
	const struct rx_mark *m = this_cpu_ptr(&rx_mark);

	*reqid = m->reqid;
	return m->active;
}

/* Everything GRO holds goes up now, under the current mark: its flows,
 * then the packets it completed and batched (what gro_normal_list() does,
 * which modules cannot call). Then the run's references go.
 */
static void run_end(struct napi_struct *napi, struct run *r)
{
	napi_gro_flush(napi, false);
	if (napi->rx_count) {
		netif_receive_skb_list(&napi->rx_list);
		INIT_LIST_HEAD(&napi->rx_list);
		napi->rx_count = 0;
	}
	for (; r->n; r->n--) {
		dev_put(r->dev);
		ikesec_crypto_done(r->in);
	}
}

static int deliver_poll(struct napi_struct *napi, int budget)
{
	struct rx_cell *c = container_of(napi, struct rx_cell, napi);
	struct rx_mark *m = this_cpu_ptr(&rx_mark), saved = *m;
	struct run r = {};
	struct sk_buff *skb;
	int done = 0;

	while (done < budget && (skb = __skb_dequeue(&c->queue))) {
		struct deliver_cb *cb = DELIVER_CB(skb);

		if (r.n && (cb->reqid != r.reqid || cb->in != r.in ||
			    skb->dev != r.dev))
			run_end(napi, &r);
		if (!r.n) {
			r.in = cb->in;
			r.dev = skb->dev;
			r.reqid = cb->reqid;
			m->active = true;
			m->reqid = r.reqid;
		}
		r.n++;
		done++;
		memset(skb->cb, 0, sizeof(skb->cb));
		napi_gro_receive(napi, skb);
	}
	run_end(napi, &r);
	*m = saved;
	/* GRO is empty: napi_complete_done() and the budget path of the
	 * softirq find nothing left to deliver outside the mark.
	 */
	if (done < budget)
		napi_complete_done(napi, done);
	return done;
}

static void deliver_now(struct sk_buff *skb, u32 reqid)
{
	struct rx_mark *m = this_cpu_ptr(&rx_mark), saved = *m;

	m->active = true;
	m->reqid = reqid;
	netif_receive_skb(skb);
	*m = saved;
}

void ikesec_deliver(struct ikesec_net *in, struct sk_buff *skb, u32 reqid)
{
	struct net_device *dev = skb->dev;
	struct rx_cell *c;

	if (netif_elide_gro(dev)) {
		local_bh_disable();
		deliver_now(skb, reqid);
		local_bh_enable();
		dev_put(dev);
		ikesec_crypto_done(in);
		return;
	}
	DELIVER_CB(skb)->in = in;
	DELIVER_CB(skb)->reqid = reqid;
	local_bh_disable();
	c = this_cpu_ptr(&rx_cells);
	if (unlikely(skb_queue_len(&c->queue) >=
		     READ_ONCE(netdev_max_backlog))) {
		ikesec_net_stat_add(in, IKESEC_STAT_IN_ERRORS, 1);
		net_dbg_ratelimited("delivery queue full (%u packets)\n",
				    skb_queue_len(&c->queue));
		kfree_skb(skb);
		dev_put(dev);
		ikesec_crypto_done(in);
	} else {
		__skb_queue_tail(&c->queue, skb);
		if (skb_queue_len(&c->queue) == 1)
			napi_schedule(&c->napi);
	}
	local_bh_enable();
}

int ikesec_deliver_init(void)
{
	int cpu;

	napi_dev = ikesec_alloc_netdev_dummy();
	if (!napi_dev)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct rx_cell *c = per_cpu_ptr(&rx_cells, cpu);

		__skb_queue_head_init(&c->queue);
		/* No busy polling: it would flush GRO outside the poll,
		 * hence outside the mark.
		 */
		set_bit(NAPI_STATE_NO_BUSY_POLL, &c->napi.state);
		netif_napi_add(napi_dev, &c->napi, deliver_poll);
		napi_enable(&c->napi);
	}
	return 0;
}

/* After every namespace is gone: nothing is queued any more (the
 * namespaces waited for their packets); a poll may still be scheduled.
 */
void ikesec_deliver_uninit(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct rx_cell *c = per_cpu_ptr(&rx_cells, cpu);

		napi_disable(&c->napi);
		WARN_ON_ONCE(!skb_queue_empty(&c->queue));
		__netif_napi_del(&c->napi);
	}
	synchronize_net();
	ikesec_free_netdev_dummy(napi_dev);
	napi_dev = NULL;
}
