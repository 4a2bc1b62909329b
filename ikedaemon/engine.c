// SPDX-License-Identifier: GPL-2.0
/*
 * The engine's answers to ikectl (control.h): up, down, status, reload,
 * last error. Each runs inside one event of the main loop and never
 * waits for the network: `up' starts an exchange and returns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "control.h"
#include "engine.h"
#include "ike_sa.h"
#include "ikev2_child.h"
#include "ikev2_exch.h"
#include "log.h"
#include "natt.h"
#include "net.h"
#include "reload.h"
#include "trap.h"

#define ENGINE_ERR_MAX	512

struct last_error {
	struct last_error *next;
	char conn[CFG_NAME_MAX];
	char text[ENGINE_ERR_MAX];
};

static struct config *cur;
static const char *cur_path;
static struct config *retired[16];	/* old configs SAs may point into */
static int n_retired;
static struct last_error *errors;

void engine_set_config(struct config *cfg, const char *path)
{
	cur = cfg;
	cur_path = path;
	ike_sa_set_config(cfg);
}

void engine_note_error(const char *conn, const char *text)
{
	struct last_error *e;

	for (e = errors; e; e = e->next)
		if (!strcmp(e->conn, conn))
			break;
	if (!e) {
		e = calloc(1, sizeof(*e));
		if (!e)
			return;
		snprintf(e->conn, sizeof(e->conn), "%s", conn);
		e->next = errors;
		errors = e;
	}
	snprintf(e->text, sizeof(e->text), "%s", text);
}

/* Initiate c if one of its children has start_action = start: the first
 * rides in IKE_AUTH, the others follow by CREATE_CHILD_SA.
 */
static void start_conn(const struct cfg_conn *c)
{
	struct ike_sa *sa;
	int j;

	for (j = 0; j < c->n_children; j++)
		if (c->children[j].start_action == CFG_START_START) {
			sa = ike_sa_start(c, &c->children[j]);
			if (sa)
				ikev2_child_queue_conn(sa, true);
			return;
		}
}

void engine_start(void)
{
	int i;

	trap_install_all(cur);
	for (i = 0; cur && i < cur->n_conns; i++)
		start_conn(&cur->conns[i]);
}

void engine_shutdown(void)
{
	struct ike_sa *sa;

	for (sa = ike_sa_first(); sa; sa = sa->sa_next)
		if (sa->sa_state == IKE_S_ESTABLISHED)
			ikev2_info_delete(sa);
	ike_sa_destroy_all();
	trap_remove_all();
	while (n_retired) {
		config_free(retired[--n_retired]);
		free(retired[n_retired]);
	}
	if (cur) {
		config_free(cur);
		free(cur);
		cur = NULL;
	}
	while (errors) {
		struct last_error *e = errors;

		errors = e->next;
		free(e);
	}
}

/* The child named name of the current configuration, or NULL. */
static const struct cfg_child *find_child_cfg(const char *name,
					      const struct cfg_conn **conn)
{
	int i, j;

	for (i = 0; cur && i < cur->n_conns; i++)
		for (j = 0; j < cur->conns[i].n_children; j++)
			if (!strcmp(cur->conns[i].children[j].name, name)) {
				*conn = &cur->conns[i];
				return &cur->conns[i].children[j];
			}
	return NULL;
}

static struct ike_sa *established(const char *conn);

/*
 * ikectl up NAME: a connection (IKE SA, its first child in IKE_AUTH, the
 * others by CREATE_CHILD_SA) or one child. With the IKE SA up already,
 * only the missing children are created.
 */
int engine_up(const char *conn, struct control_reply *r)
{
	const struct cfg_conn *c = cur ? config_find_conn(cur, conn) : NULL;
	const struct cfg_child *cc = NULL;
	struct ike_sa *sa;
	int n;

	if (!c)
		cc = find_child_cfg(conn, &c);
	if (!c) {
		control_printf(r, "no connection or child `%s'\n", conn);
		return -1;
	}
	sa = established(c->name);
	if (sa) {
		n = cc ? ikev2_child_queue(sa, cc) :
			 ikev2_child_queue_conn(sa, false);
		if (!n)
			control_printf(r, "%s: %s up already\n",
				       ike_sa_name(sa), cc ? cc->name :
				       "every child is");
		else
			control_printf(r, "%s: creating %d CHILD SA%s\n",
				       ike_sa_name(sa), n, n == 1 ? "" : "s");
		return 0;
	}
	sa = ike_sa_start(c, cc);
	if (!sa) {
		control_printf(r, "%s: cannot initiate (see the log)\n", conn);
		return -1;
	}
	if (!cc)
		ikev2_child_queue_conn(sa, false);
	control_printf(r, "%s: initiating\n", conn);
	return 0;
}

/* The installed CHILD SA named name on an established IKE SA. */
static struct child_slot *find_child(const char *name, struct ike_sa **sap)
{
	struct child_slot *sl;
	struct ike_sa *sa;

	for (sa = ike_sa_first(); sa; sa = sa->sa_next) {
		if (sa->sa_state != IKE_S_ESTABLISHED || sa->sa_rekeyed)
			continue;
		child_slot_for_each(sl, sa)
			if (sl->cl_cur.cs_installed && sl->cl_cfg &&
			    !strcmp(sl->cl_cfg->name, name)) {
				*sap = sa;
				return sl;
			}
	}
	return NULL;
}

/* ikectl down CHILD: delete that CHILD SA, the others stay. */
static int down_child(const char *name, struct control_reply *r)
{
	struct child_slot *sl;
	struct ike_sa *sa;

	sl = find_child(name, &sa);
	if (!sl) {
		control_printf(r, "%s: no IKE SA or CHILD SA\n", name);
		return -1;
	}
	if (ikev2_child_delete(sa, sl)) {
		control_printf(r, "%s: cannot delete CHILD SA %s now: another "
			       "exchange is in flight\n", ike_sa_name(sa),
			       name);
		return -1;
	}
	control_printf(r, "%s: deleting CHILD SA %s\n", ike_sa_name(sa),
		       name);
	return 0;
}

int engine_down(const char *conn, struct control_reply *r)
{
	struct ike_sa *sa;
	int n = 0;

	for (sa = ike_sa_first(); sa; sa = sa->sa_next)
		if (sa->sa_state != IKE_S_DEAD && sa->sa_conn &&
		    !strcmp(sa->sa_conn->name, conn)) {
			ikev2_info_delete(sa);
			n++;
		}
	if (!n)
		return down_child(conn, r);
	control_printf(r, "%s: deleting %d IKE SA%s\n", conn, n,
		       n == 1 ? "" : "s");
	return 0;
}

/* The established IKE SA of connection conn, or NULL. */
static struct ike_sa *established(const char *conn)
{
	struct ike_sa *sa;

	for (sa = ike_sa_first(); sa; sa = sa->sa_next)
		if (sa->sa_state == IKE_S_ESTABLISHED && !sa->sa_rekeyed &&
		    sa->sa_conn && !strcmp(sa->sa_conn->name, conn))
			return sa;
	return NULL;
}

/*
 * ikectl rekey [--ike] NAME, like swanctl --rekey: now, not at
 * rekey_time. NAME is a connection (its IKE SA, or its first CHILD SA)
 * or a child.
 */
int engine_rekey(const char *conn, bool ike, struct control_reply *r)
{
	struct ike_sa *sa = established(conn);
	struct child_slot *sl = NULL;
	bool busy;

	if (!sa && !ike)
		sl = find_child(conn, &sa);
	if (!sa) {
		control_printf(r, "%s: no established IKE SA\n", conn);
		return -1;
	}
	if (!sl)
		sl = child_slot_first_up(sa);
	busy = sa->sa_req_pending || ikev2_child_busy(sa) ||
	       sa->sa_ike_rekeying;
	if (ike) {
		if (ikev2_sa_init_rekey_start(sa)) {
			control_printf(r, "%s: cannot rekey the IKE SA now: %s\n",
				       ike_sa_name(sa), busy ?
				       "another exchange is in flight" :
				       "see the log");
			return -1;
		}
		control_printf(r, "%s: rekeying the IKE SA\n", ike_sa_name(sa));
		return 0;
	}
	if (!sl) {
		control_printf(r, "%s: no CHILD SA to rekey\n", ike_sa_name(sa));
		return -1;
	}
	if (sl->cl_rekeying) {
		control_printf(r, "%s: a CHILD SA rekey is already in flight\n",
			       ike_sa_name(sa));
		return -1;
	}
	if (ikev2_child_rekey_slot(sa, sl)) {
		if (busy) {
			control_printf(r, "%s: CHILD SA rekey deferred: another "
				       "exchange is in flight\n", ike_sa_name(sa));
			return 0;
		}
		control_printf(r, "%s: cannot rekey the CHILD SA (see the log)\n",
			       ike_sa_name(sa));
		return -1;
	}
	control_printf(r, "%s: rekeying CHILD SA %s\n", ike_sa_name(sa),
		       sl->cl_cur.cs_cfg->name);
	return 0;
}

static const char *state_name(enum ike_state s)
{
	static const char *const names[] = {
		[IKE_S_INIT_SENT] = "CONNECTING", [IKE_S_INIT_DONE] =
		"CONNECTING", [IKE_S_AUTH_SENT] = "CONNECTING",
		[IKE_S_ESTABLISHED] = "ESTABLISHED",
		[IKE_S_DELETING] = "DELETING", [IKE_S_DEAD] = "DELETED",
	};

	return names[s];
}

/* "key":"value" (JSON-quoted), with a leading comma unless first. */
static void json_kv(struct control_reply *r, const char *key, const char *v,
		    bool first)
{
	control_printf(r, "%s\"%s\":", first ? "" : ",", key);
	control_json_str(r, v);
}

/* One CHILD SA of `ikectl -j status'. */
static void status_child_json(struct control_reply *r,
			      const struct child_sa *cs, bool first)
{
	char buf[640];

	control_printf(r, "%s{", first ? "" : ",");
	json_kv(r, "name", cs->cs_cfg ? cs->cs_cfg->name : "?", true);
	control_printf(r, ",\"state\":\"INSTALLED\",\"mode\":\"%s\","
		       "\"reqid\":%u,\"spi_in\":\"%08x\",\"spi_out\":"
		       "\"%08x\"", cs->cs_transport ? "TRANSPORT" : "TUNNEL",
		       cs->cs_reqid, cs->cs_spi_in, cs->cs_spi_out);
	proposal_format_sel(&cs->cs_sel, buf, sizeof(buf));
	json_kv(r, "proposal", buf, false);
	ts_format_list(cs->cs_ts_l, cs->cs_n_ts_l, buf, sizeof(buf));
	json_kv(r, "local_ts", buf, false);
	ts_format_list(cs->cs_ts_r, cs->cs_n_ts_r, buf, sizeof(buf));
	json_kv(r, "remote_ts", buf, false);
	control_printf(r, "}");
}

/* `ikectl -j status': {"ike_sas":[{..., "children":[...]}]} */
static void status_json(const char *conn, struct control_reply *r)
{
	char buf[300];
	const struct child_slot *sl;
	struct ike_sa *sa;
	bool first = true, cfirst;

	control_printf(r, "{\"ike_sas\":[");
	for (sa = ike_sa_first(); sa; sa = sa->sa_next) {
		if (sa->sa_state == IKE_S_DEAD ||
		    (conn && sa->sa_conn && strcmp(sa->sa_conn->name, conn)))
			continue;
		control_printf(r, "%s{", first ? "" : ",");
		first = false;
		json_kv(r, "name", ike_sa_name(sa), true);
		json_kv(r, "state", state_name(sa->sa_state), false);
		net_addr_str(&sa->sa_local, buf, sizeof(buf));
		json_kv(r, "local", buf, false);
		net_addr_str(&sa->sa_peer, buf, sizeof(buf));
		json_kv(r, "remote", buf, false);
		ike_id_str(&sa->sa_id_l, buf, sizeof(buf));
		json_kv(r, "local_id", buf, false);
		ike_id_str(&sa->sa_id_r, buf, sizeof(buf));
		json_kv(r, "remote_id", buf, false);
		control_printf(r, ",\"initiator\":%s,\"spi_i\":\"%016llx\","
			       "\"spi_r\":\"%016llx\"",
			       sa->sa_initiator ? "true" : "false",
			       (unsigned long long)get64(sa->sa_spi_i),
			       (unsigned long long)get64(sa->sa_spi_r));
		if (sa->sa_keyed) {
			proposal_format_sel(&sa->sa_sel, buf, sizeof(buf));
			json_kv(r, "proposal", buf, false);
		}
		control_printf(r, ",\"children\":[");
		cfirst = true;
		child_slot_for_each(sl, sa) {
			if (!sl->cl_cur.cs_installed)
				continue;
			status_child_json(r, &sl->cl_cur, cfirst);
			cfirst = false;
		}
		control_printf(r, "]}");
	}
	control_printf(r, "]}\n");
}

int engine_status(const char *conn, struct control_reply *r)
{
	char a[64], b[64], l[300], p[300], ts[640], alg[256];
	struct ike_sa *sa;

	if (r->json) {
		status_json(conn, r);
		return 0;
	}

	for (sa = ike_sa_first(); sa; sa = sa->sa_next) {
		const struct child_slot *sl;

		if (sa->sa_state == IKE_S_DEAD ||
		    (conn && sa->sa_conn && strcmp(sa->sa_conn->name, conn)))
			continue;
		net_addr_str(&sa->sa_local, a, sizeof(a));
		net_addr_str(&sa->sa_peer, b, sizeof(b));
		ike_id_str(&sa->sa_id_l, l, sizeof(l));
		ike_id_str(&sa->sa_id_r, p, sizeof(p));
		control_printf(r, "%s: %s, %s[%s]...%s[%s]\n",
			       ike_sa_name(sa), state_name(sa->sa_state), a, l,
			       b, p);
		control_printf(r, "  %s SPIs: %016llx_i%s %016llx_r%s\n",
			       sa->sa_initiator ? "initiator" : "responder",
			       (unsigned long long)get64(sa->sa_spi_i),
			       sa->sa_initiator ? "*" : "",
			       (unsigned long long)get64(sa->sa_spi_r),
			       sa->sa_initiator ? "" : "*");
		if (sa->sa_keyed) {
			proposal_format_sel(&sa->sa_sel, alg, sizeof(alg));
			control_printf(r, "  IKE proposal: %s\n", alg);
		}
		natt_status(sa, alg, sizeof(alg));	/* NAT-T, if any */
		if (*alg)
			control_printf(r, "  %s\n", alg);
		if (sa->sa_peer_cert)
			control_printf(r, "  peer certificate: \"%s\"\n",
				       sa->sa_peer_cert);
		child_slot_for_each(sl, sa) {
			const struct child_sa *cs = &sl->cl_cur;

			if (!cs->cs_installed)
				continue;
			proposal_format_sel(&cs->cs_sel, alg, sizeof(alg));
			ts_format_list(cs->cs_ts_l, cs->cs_n_ts_l, l,
				       sizeof(l));
			ts_format_list(cs->cs_ts_r, cs->cs_n_ts_r, p,
				       sizeof(p));
			snprintf(ts, sizeof(ts), "%s === %s", l, p);
			control_printf(r, "  %s: INSTALLED, %s, reqid %u, ESP "
				       "SPIs: %08x_i %08x_o\n", cs->cs_cfg ?
				       cs->cs_cfg->name : "?",
				       cs->cs_transport ? "TRANSPORT" :
				       "TUNNEL", cs->cs_reqid, cs->cs_spi_in,
				       cs->cs_spi_out);
			control_printf(r, "    %s\n    %s\n", alg, ts);
		}
	}
	return 0;
}

int engine_show_conns(struct control_reply *r)
{
	if (cur)
		control_show_conns(cur, r);
	return 0;
}

int engine_reload(struct control_reply *r)
{
	struct config *cfg = calloc(1, sizeof(*cfg)), *old = cur;
	char err[512];
	int i, n = 0;

	for (i = 0; i < n_retired; i++)	/* free those no SA uses any more */
		if (reload_in_use(retired[i])) {
			retired[n++] = retired[i];
		} else {
			config_free(retired[i]);
			free(retired[i]);
		}
	n_retired = n;
	if (!cfg || n_retired == (int)(sizeof(retired) / sizeof(retired[0])) ||
	    !cur_path) {
		free(cfg);
		control_printf(r, "reload not possible now\n");
		return -1;
	}
	if (config_load(cur_path, cfg, err, sizeof(err))) {
		free(cfg);
		log_warnx(LOG_CFG, "reload refused, running configuration kept: %s",
			  err);
		control_printf(r, "%s\nreload refused: the running configuration stays in force\n",
			       err);
		return -1;
	}
	/* SAs keep pointing into the old configuration until they go */
	retired[n_retired++] = cur;
	engine_set_config(cfg, cur_path);
	log_info(LOG_CFG, "configuration reloaded from %s: %d connections",
		 cur_path, cfg->n_conns);
	control_printf(r, "reloaded %s: %d connections\n", cur_path,
		       cfg->n_conns);
	reload_apply(old, cfg, r);
	return 0;
}

int engine_last_error(const char *conn, struct control_reply *r)
{
	struct last_error *e;

	for (e = errors; e; e = e->next)
		if (!strcmp(e->conn, conn)) {
			control_printf(r, "%s\n", e->text);
			return 0;
		}
	control_printf(r, "%s: no error recorded\n", conn);
	return 0;
}
