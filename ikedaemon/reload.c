// SPDX-License-Identifier: GPL-2.0
/*
 * `ikectl reload': a new configuration applied to what runs, connection
 * by connection, as strongSwan's `swanctl --load-all' replaces its
 * connections:
 *   unchanged (config_conn_same()): IKE and CHILD SAs and traps move to
 *     the new configuration untouched; same SPIs, traffic never stops;
 *   changed: its SAs are deleted (INFORMATIONAL DELETE to the peer), its
 *     traps removed, then it starts over from the new settings as an
 *     added one does;
 *   removed: its SAs deleted (DELETE to the peer), its traps removed;
 *   added: traps installed, start_action = start children initiated.
 * SAs being deleted keep pointing into the old configuration until they
 * are gone (reload_in_use()).
 */
#include <stdio.h>

#include "config.h"
#include "control.h"
#include "ike_sa.h"
#include "ikev2_child.h"
#include "ikev2_exch.h"
#include "log.h"
#include "reload.h"
#include "trap.h"

static bool conn_of(const struct config *cfg, const struct cfg_conn *c)
{
	return cfg->n_conns && c >= cfg->conns && c < cfg->conns + cfg->n_conns;
}

bool reload_in_use(const struct config *cfg)
{
	struct ike_sa *sa;

	for (sa = ike_sa_first(); sa; sa = sa->sa_next)
		if (conn_of(cfg, sa->sa_conn))
			return true;
	return false;
}

static const struct cfg_child *rebind_child(const struct cfg_conn *old,
					    const struct cfg_conn *new,
					    const struct cfg_child *cc)
{
	if (!cc || cc < old->children ||
	    cc >= old->children + old->n_children)
		return cc;
	return &new->children[cc - old->children];
}

static void rebind_slot(const struct cfg_conn *old,
			const struct cfg_conn *new, struct child_slot *sl)
{
	struct child_rekey *rk = sl->cl_rk;

	sl->cl_cfg = rebind_child(old, new, sl->cl_cfg);
	sl->cl_cur.cs_cfg = rebind_child(old, new, sl->cl_cur.cs_cfg);
	if (!rk)
		return;
	rk->rk_old.cs_cfg = rebind_child(old, new, rk->rk_old.cs_cfg);
	rk->rk_new.cs_cfg = rebind_child(old, new, rk->rk_new.cs_cfg);
	rk->rk_peer.cs_cfg = rebind_child(old, new, rk->rk_peer.cs_cfg);
	rk->rk_dying.cs_cfg = rebind_child(old, new, rk->rk_dying.cs_cfg);
}

/* Unchanged: the SAs of old now run on new (same settings). */
static int keep(const struct cfg_conn *old, const struct cfg_conn *new)
{
	struct child_slot *sl;
	struct ike_sa *sa;
	int n = 0;

	for (sa = ike_sa_first(); sa; sa = sa->sa_next) {
		if (sa->sa_conn != old)
			continue;
		ike_sa_set_conn(sa, new);
		sa->sa_child_cfg = rebind_child(old, new, sa->sa_child_cfg);
		child_slot_for_each(sl, sa)
			rebind_slot(old, new, sl);
		if (sa->sa_state != IKE_S_DEAD && sa->sa_state !=
		    IKE_S_DELETING)
			n++;
	}
	trap_rebind(old, new);
	return n;
}

/* Changed or removed: delete old's SAs at the peer, drop its traps. */
static int drop(const struct cfg_conn *old, const char *why)
{
	struct ike_sa *sa;
	int n = 0;

	for (sa = ike_sa_first(); sa; sa = sa->sa_next) {
		if (sa->sa_conn != old || sa->sa_state == IKE_S_DEAD ||
		    sa->sa_state == IKE_S_DELETING)
			continue;
		log_info(LOG_CFG, "reload: %s: connection %s, deleting IKE SA",
			 ike_sa_name(sa), why);
		ikev2_info_delete(sa);
		n++;
	}
	trap_remove_conn(old);
	return n;
}

static void start(const struct cfg_conn *c)
{
	struct ike_sa *sa;
	int j;

	trap_install_conn(c);
	for (j = 0; j < c->n_children; j++)
		if (c->children[j].start_action == CFG_START_START) {
			sa = ike_sa_start(c, &c->children[j]);
			if (sa)
				ikev2_child_queue_conn(sa, true);
			return;
		}
}

void reload_apply(const struct config *old, const struct config *new,
		  struct control_reply *r)
{
	int kept = 0, changed = 0, removed = 0, added = 0, i, n;
	const struct cfg_conn *oc, *nc;

	for (i = 0; i < old->n_conns; i++) {
		oc = &old->conns[i];
		nc = config_find_conn(new, oc->name);
		if (!nc) {
			n = drop(oc, "removed");
			log_info(LOG_CFG, "reload: %s removed, %d IKE SA%s deleted",
				 oc->name, n, n == 1 ? "" : "s");
			control_printf(r, "%s: removed, %d IKE SA%s deleted\n",
				       oc->name, n, n == 1 ? "" : "s");
			removed++;
		} else if (config_conn_same(oc, nc)) {
			n = keep(oc, nc);
			log_info(LOG_CFG, "reload: %s unchanged, %d IKE SA%s kept",
				 oc->name, n, n == 1 ? "" : "s");
			control_printf(r, "%s: unchanged, %d IKE SA%s kept\n",
				       oc->name, n, n == 1 ? "" : "s");
			kept++;
		} else {
			n = drop(oc, "changed");
			log_info(LOG_CFG, "reload: %s changed, %d IKE SA%s deleted, "
				 "starting from the new settings", oc->name, n,
				 n == 1 ? "" : "s");
			control_printf(r, "%s: changed, %d IKE SA%s deleted, "
				       "replaced\n", oc->name, n,
				       n == 1 ? "" : "s");
			start(nc);
			changed++;
		}
	}
	for (i = 0; i < new->n_conns; i++) {
		nc = &new->conns[i];
		if (config_find_conn(old, nc->name))
			continue;
		log_info(LOG_CFG, "reload: %s added", nc->name);
		control_printf(r, "%s: added\n", nc->name);
		start(nc);
		added++;
	}
	log_info(LOG_CFG, "reload: %d unchanged, %d changed, %d removed, "
		 "%d added", kept, changed, removed, added);
}
