// SPDX-License-Identifier: GPL-2.0
/*
 * Trap policies (start_action = trap); see trap.h. An acquire for a
 * connection that already has an IKE SA queues the child on it (created
 * by CREATE_CHILD_SA once the IKE SA is up), unless it has it already:
 * the module repeats the acquire every IKESEC_ACQUIRE_RETRY_SECONDS while
 * no SA exists.
 */
#include <stdlib.h>
#include <string.h>

#include <linux/ikesec.h>

#include "config.h"
#include "ike_sa.h"
#include "ikev2_child.h"
#include "kernel.h"
#include "log.h"
#include "net.h"
#include "trap.h"
#include "ts.h"

#define TRAP_MAX_POL	(CFG_MAX_TS * CFG_MAX_TS)

struct trap {
	struct trap *next;
	const struct cfg_conn *conn;
	const struct cfg_child *child;
	uint32_t reqid;
	uint32_t pol[TRAP_MAX_POL];
	int n_pol;
};

static struct trap *traps;
static uint32_t next_reqid = 1;

uint32_t trap_new_reqid(void)
{
	return next_reqid++;
}

/* Our address towards the peer, for "dynamic" selectors. */
static int endpoints(const struct cfg_conn *c, struct sockaddr_storage *l,
		     struct sockaddr_storage *r)
{
	if (!c->n_remote_addrs)
		return -1;
	*r = c->remote_addrs[0];
	if (c->n_local_addrs) {
		*l = c->local_addrs[0];
		return 0;
	}
	return net_route_src(r, l);
}

static void install(const struct cfg_conn *c, const struct cfg_child *cc)
{
	struct ts tl[TS_MAX], tr[TS_MAX];
	struct kernel_policy p = { 0 };
	struct trap *t;
	int i, j, nl, nr;

	if (endpoints(c, &p.local, &p.peer)) {
		log_warnx(LOG_CFG, "%s: child %s: start_action = trap needs "
			  "remote_addrs", c->name, cc->name);
		return;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return;
	t->conn = c;
	t->child = cc;
	t->reqid = trap_new_reqid();
	nl = ts_from_cfg(cc->local_ts, cc->n_local_ts, &p.local, tl, TS_MAX);
	nr = ts_from_cfg(cc->remote_ts, cc->n_remote_ts, &p.peer, tr, TS_MAX);
	p.dir = IKESEC_DIR_OUT;
	p.action = IKESEC_ACTION_PROTECT;
	p.reqid = t->reqid;
	p.mode = cc->mode == CFG_MODE_TRANSPORT ? IKESEC_MODE_TRANSPORT :
						  IKESEC_MODE_TUNNEL;
	for (i = 0; i < nl; i++)
		for (j = 0; j < nr && t->n_pol < TRAP_MAX_POL; j++) {
			if (tl[i].type != tr[j].type)
				continue;
			p.src = &tl[i];
			p.dst = &tr[j];
			if (!kernel_policy_add(&p, &t->pol[t->n_pol]))
				t->n_pol++;
		}
	log_info(LOG_CHD, "%s: child %s trapped (%d policies, reqid %u)",
		 c->name, cc->name, t->n_pol, t->reqid);
	t->next = traps;
	traps = t;
}

void trap_install_all(const struct config *cfg)
{
	int i, j;

	for (i = 0; cfg && i < cfg->n_conns; i++)
		for (j = 0; j < cfg->conns[i].n_children; j++)
			if (cfg->conns[i].children[j].start_action ==
			    CFG_START_TRAP)
				install(&cfg->conns[i],
					&cfg->conns[i].children[j]);
}

void trap_install_conn(const struct cfg_conn *c)
{
	int j;

	for (j = 0; j < c->n_children; j++)
		if (c->children[j].start_action == CFG_START_TRAP)
			install(c, &c->children[j]);
}

void trap_remove_conn(const struct cfg_conn *c)
{
	struct trap **pp = &traps, *t;

	while ((t = *pp)) {
		if (t->conn != c) {
			pp = &t->next;
			continue;
		}
		*pp = t->next;
		while (t->n_pol)
			kernel_policy_del(t->pol[--t->n_pol]);
		free(t);
	}
}

/* Same settings in a reloaded configuration: same children, same order. */
void trap_rebind(const struct cfg_conn *old, const struct cfg_conn *new)
{
	struct trap *t;

	for (t = traps; t; t = t->next)
		if (t->conn == old) {
			t->child = &new->children[t->child - old->children];
			t->conn = new;
		}
}

void trap_remove_all(void)
{
	struct trap *t;

	while ((t = traps)) {
		traps = t->next;
		while (t->n_pol)
			kernel_policy_del(t->pol[--t->n_pol]);
		free(t);
	}
}

uint32_t trap_reqid(const struct cfg_child *cc)
{
	struct trap *t;

	for (t = traps; t; t = t->next)
		if (t->child == cc)
			return t->reqid;
	return 0;
}

void trap_acquire(uint32_t policy_id)
{
	struct ike_sa *sa;
	struct trap *t;
	int i;

	for (t = traps; t; t = t->next)
		for (i = 0; i < t->n_pol; i++)
			if (t->pol[i] == policy_id)
				goto found;
	log_debug(LOG_KNL, "acquire for policy %u: not a trap of ours",
		  policy_id);
	return;
found:
	for (sa = ike_sa_first(); sa; sa = sa->sa_next)
		if (sa->sa_conn == t->conn && sa->sa_state != IKE_S_DEAD &&
		    sa->sa_state != IKE_S_DELETING && !sa->sa_rekeyed) {
			/* a further CHILD SA on it (1.3.1), once */
			if (ikev2_child_queue(sa, t->child))
				log_info(LOG_KNL, "acquire for child %s of %s: "
					 "CREATE_CHILD_SA on %s", t->child->name,
					 t->conn->name, ike_sa_name(sa));
			else
				log_debug(LOG_KNL, "acquire for %s: IKE SA %s "
					  "under way", t->child->name,
					  ike_sa_name(sa));
			return;
		}
	log_info(LOG_KNL, "acquire for child %s of %s: initiating",
		 t->child->name, t->conn->name);
	ike_sa_initiate(t->conn, t->child);
}
