// SPDX-License-Identifier: GPL-2.0
/*
 * `ikectl show conns': the loaded configuration, as text (in the shape of
 * swanctl --list-conns) or as JSON. Secrets are never shown.
 */
#include <arpa/inet.h>
#include <stdio.h>

#include "config.h"
#include "control.h"

static const char *const auth_names[] = {
	[CFG_AUTH_PSK] = "psk", [CFG_AUTH_PUBKEY] = "pubkey",
	[CFG_AUTH_EAP] = "eap",
};
static const char *const mode_names[] = { "tunnel", "transport" };
static const char *const start_names[] = { "none", "trap", "start" };
static const char *const dpd_names[] = { "clear", "trap", "restart" };

static const char *addr(const struct sockaddr_storage *ss,
			char buf[INET6_ADDRSTRLEN])
{
	const void *a = ss->ss_family == AF_INET ?
		(const void *)&((const struct sockaddr_in *)ss)->sin_addr :
		(const void *)&((const struct sockaddr_in6 *)ss)->sin6_addr;

	return inet_ntop(ss->ss_family, a, buf, INET6_ADDRSTRLEN) ? buf : "?";
}

/* A list of n strings get(i): text "a, b" (or none), JSON ["a","b"]. */
static void list(struct control_reply *r, const char *key, int n,
		 const char *(*get)(const void *obj, int i, char *buf),
		 const void *obj, const char *none)
{
	char buf[INET6_ADDRSTRLEN];
	int i;

	if (r->json)
		control_printf(r, "\"%s\":[", key);
	for (i = 0; i < n; i++) {
		const char *s = get(obj, i, buf);

		if (r->json) {
			control_printf(r, "%s", i ? "," : "");
			control_json_str(r, s);
		} else {
			control_printf(r, "%s%s", i ? ", " : "", s);
		}
	}
	if (r->json)
		control_printf(r, "]");
	else if (!n)
		control_printf(r, "%s", none);
}

static const char *get_laddr(const void *o, int i, char *buf)
{
	return addr(&((const struct cfg_conn *)o)->local_addrs[i], buf);
}

static const char *get_raddr(const void *o, int i, char *buf)
{
	return addr(&((const struct cfg_conn *)o)->remote_addrs[i], buf);
}

static const char *get_prop(const void *o, int i, char *buf)
{
	(void)buf;
	return ((const struct cfg_proposal *)o)[i].text;
}

static const char *get_ts(const void *o, int i, char *buf)
{
	(void)buf;
	return ((const struct cfg_ts *)o)[i].text;
}

static const char *get_cert(const void *o, int i, char *buf)
{
	(void)buf;
	return ((const char (*)[256])o)[i];
}

static void auth(struct control_reply *r, const char *key,
		 const struct cfg_auth *a, bool local)
{
	const char *id = a->id.type ? a->id.text : "%any";

	if (r->json) {
		control_printf(r, ",\"%s\":{\"auth\":\"%s%s%s\",\"id\":", key,
			       auth_names[a->method], *a->eap_method ? "-" : "",
			       a->eap_method);
		control_json_str(r, id);
		control_printf(r, ",");
		if (local)
			list(r, "certs", a->n_certs, get_cert, a->certs, "");
		else
			list(r, "cacerts", a->n_cacerts, get_cert, a->cacerts,
			     "");
		control_printf(r, "}");
		return;
	}
	control_printf(r, "  %s: %s%s%s, id %s", key, auth_names[a->method],
		       *a->eap_method ? "-" : "", a->eap_method, id);
	if (local && a->n_certs) {
		control_printf(r, ", certs ");
		list(r, "certs", a->n_certs, get_cert, a->certs, "");
	}
	if (!local && a->n_cacerts) {
		control_printf(r, ", cacerts ");
		list(r, "cacerts", a->n_cacerts, get_cert, a->cacerts, "");
	}
	control_printf(r, "\n");
}

static void child(struct control_reply *r, const struct cfg_child *ch)
{
	if (r->json) {
		control_printf(r, "{\"name\":");
		control_json_str(r, ch->name);
		control_printf(r, ",\"mode\":\"%s\",\"start_action\":\"%s\",\"dpd_action\":\"%s\",",
			       mode_names[ch->mode],
			       start_names[ch->start_action],
			       dpd_names[ch->dpd_action]);
	} else {
		control_printf(r, "  %s: %s, start_action %s, dpd_action %s\n    local_ts  ",
			       ch->name, mode_names[ch->mode],
			       start_names[ch->start_action],
			       dpd_names[ch->dpd_action]);
	}
	list(r, "local_ts", ch->n_local_ts, get_ts, ch->local_ts, "");
	control_printf(r, r->json ? "," : "\n    remote_ts ");
	list(r, "remote_ts", ch->n_remote_ts, get_ts, ch->remote_ts, "");
	control_printf(r, r->json ? "," : "\n    esp_proposals ");
	list(r, "esp_proposals", ch->n_esp_proposals, get_prop,
	     ch->esp_proposals, "");
	control_printf(r, r->json ?
		       ",\"rekey_time\":%u,\"life_time\":%u,\"rand_time\":%u,\"rekey_bytes\":%llu,\"life_bytes\":%llu,\"rekey_packets\":%llu,\"life_packets\":%llu,\"replay_window\":%u}" :
		       "\n    rekey %us, life %us, rand %us, rekey_bytes %llu, life_bytes %llu, rekey_packets %llu, life_packets %llu, replay_window %u\n",
		       ch->rekey_time, ch->life_time, ch->rand_time,
		       (unsigned long long)ch->rekey_bytes,
		       (unsigned long long)ch->life_bytes,
		       (unsigned long long)ch->rekey_packets,
		       (unsigned long long)ch->life_packets,
		       ch->replay_window);
}

static void conn(struct control_reply *r, const struct cfg_conn *c)
{
	int i;

	if (r->json) {
		control_printf(r, "{\"name\":");
		control_json_str(r, c->name);
		control_printf(r, ",\"file\":");
		control_json_str(r, c->file);
		control_printf(r, ",\"line\":%d,", c->line);
	} else {
		control_printf(r, "%s: IKEv2, local ", c->name);
	}
	list(r, "local_addrs", c->n_local_addrs, get_laddr, c, "%any");
	control_printf(r, r->json ? ",\"local_port\":%u," : "[%u], remote ",
		       c->local_port);
	list(r, "remote_addrs", c->n_remote_addrs, get_raddr, c, "%any");
	control_printf(r, r->json ? ",\"remote_port\":%u," :
		       "[%u]\n  proposals ", c->remote_port);
	list(r, "proposals", c->n_proposals, get_prop, c->proposals, "");
	control_printf(r, r->json ?
		       ",\"rekey_time\":%u,\"reauth_time\":%u,\"over_time\":%u,\"rand_time\":%u,\"dpd_delay\":%u,\"dpd_timeout\":%u,\"keyingtries\":%u,\"mobike\":%s,\"encap\":%s,\"keep_alive\":%u,\"send_cert\":\"%s\"" :
		       "\n  rekey %us, reauth %us, over %us, rand %us, dpd %us/%us, keyingtries %u, mobike %s, encap %s, keep_alive %us, send_cert %s\n",
		       c->rekey_time, c->reauth_time, c->over_time,
		       c->rand_time, c->dpd_delay, c->dpd_timeout,
		       c->keyingtries, c->mobike ? (r->json ? "true" : "yes") :
		       (r->json ? "false" : "no"),
		       c->encap ? (r->json ? "true" : "yes") :
		       (r->json ? "false" : "no"), c->keep_alive,
		       c->send_cert ? "always" : "ifasked");
	auth(r, "local", &c->local, true);
	auth(r, "remote", &c->remote, false);
	if (r->json)
		control_printf(r, ",\"children\":[");
	for (i = 0; i < c->n_children; i++) {
		if (r->json && i)
			control_printf(r, ",");
		child(r, &c->children[i]);
	}
	if (r->json)
		control_printf(r, "]}");
}

void control_show_conns(const struct config *cfg, struct control_reply *r)
{
	int i;

	if (r->json)
		control_printf(r, "{\"connections\":[");
	for (i = 0; i < cfg->n_conns; i++) {
		if (r->json && i)
			control_printf(r, ",");
		conn(r, &cfg->conns[i]);
	}
	if (r->json)
		control_printf(r, "]}\n");
	else if (!cfg->n_conns)
		control_printf(r, "no connections\n");
}
