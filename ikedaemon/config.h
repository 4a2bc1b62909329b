/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The configuration model: what ikedaemon reads from a swanctl.conf subset
 * (connections { NAME { ... children { NAME { ... } } } } and
 * secrets { ike-X { id = ...; secret = ... } }). config.c parses text into
 * these structures; the IKE engine only reads them. Field names follow
 * swanctl.conf keys so users can map one to the other.
 */
#ifndef IKEDAEMON_CONFIG_H
#define IKEDAEMON_CONFIG_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define CFG_NAME_MAX		64
#define CFG_MAX_ADDRS		8
#define CFG_MAX_PROPOSALS	8
#define CFG_MAX_XFORMS		32
#define CFG_MAX_TS		8
#define CFG_MAX_CHILDREN	8
#define CFG_MAX_IDS		8

/* One IKEv2 transform (RFC 7296 3.3.2), IANA numbers. keylen in bits, 0 if
 * the transform has no Key Length attribute.
 */
struct cfg_xform {
	uint8_t type;		/* 1 ENCR, 2 PRF, 3 INTEG, 4 DH, 5 ESN */
	uint16_t id;
	uint16_t keylen;
};

/* One proposal string, e.g. "aes256gcm16-aes128gcm16-prfsha256-x25519":
 * every transform listed is an alternative within its type.
 */
struct cfg_proposal {
	struct cfg_xform xf[CFG_MAX_XFORMS];
	int n_xf;
	char text[256];		/* as written, for log lines */
};

/* A traffic selector, swanctl style: "10.1.0.0/24", "10.1.0.0/24[tcp/80]",
 * "dynamic" (= our/their IKE address).
 */
struct cfg_ts {
	bool dynamic;
	int family;		/* AF_INET / AF_INET6 */
	uint8_t start[16], end[16];	/* address range, network order */
	uint8_t proto;		/* 0 = any */
	uint16_t port_start, port_end;	/* 0-65535 = any */
	char text[96];
};

enum cfg_auth_method { CFG_AUTH_PSK = 1, CFG_AUTH_PUBKEY, CFG_AUTH_EAP };

/* IKEv2 identification (RFC 7296 3.5); type 0 = derive from address. */
struct cfg_id {
	uint8_t type;		/* ID_IPV4_ADDR 1, ID_FQDN 2, ID_RFC822_ADDR 3,
				 * ID_IPV6_ADDR 5, ID_DER_ASN1_DN 9, ID_KEY_ID 11 */
	uint8_t data[256];
	size_t len;
	char text[280];		/* as configured, for log lines */
};

struct cfg_auth {
	enum cfg_auth_method method;
	struct cfg_id id;		/* local: ours; remote: expected, may
					 * be type 0 = %any */
	char certs[CFG_MAX_IDS][256];	/* file paths (local.certs) */
	int n_certs;
	char cacerts[CFG_MAX_IDS][256];	/* remote.cacerts */
	int n_cacerts;
	char eap_id[256];
	char eap_method[32];		/* "md5" for auth = eap-md5; "" = any */
};

enum cfg_start_action { CFG_START_NONE = 0, CFG_START_TRAP, CFG_START_START };
enum cfg_mode { CFG_MODE_TUNNEL = 0, CFG_MODE_TRANSPORT };
enum cfg_dpd_action { CFG_DPD_CLEAR = 0, CFG_DPD_TRAP, CFG_DPD_RESTART };

struct cfg_child {
	char name[CFG_NAME_MAX];
	struct cfg_ts local_ts[CFG_MAX_TS], remote_ts[CFG_MAX_TS];
	int n_local_ts, n_remote_ts;
	struct cfg_proposal esp_proposals[CFG_MAX_PROPOSALS];
	int n_esp_proposals;
	enum cfg_mode mode;
	enum cfg_start_action start_action;
	enum cfg_dpd_action dpd_action;
	uint32_t rekey_time, life_time, rand_time;	/* seconds */
	/* Defaults applied (swanctl.conf.5). An explicit rand_time is below
	 * rekey_time; the default (life_time - rekey_time) can reach it when
	 * life_time is set far above rekey_time: clamp before use.
	 */
	uint64_t rekey_bytes, life_bytes, rekey_packets, life_packets;
	uint32_t replay_window;
	int line;			/* where it was defined */
};

struct cfg_conn {
	char name[CFG_NAME_MAX];
	char file[256];
	int line;
	struct sockaddr_storage local_addrs[CFG_MAX_ADDRS];
	int n_local_addrs;		/* 0 = %any; ports set from local_port */
	struct sockaddr_storage remote_addrs[CFG_MAX_ADDRS];
	int n_remote_addrs;		/* 0 = %any (responder only); port set */
	uint16_t local_port, remote_port;	/* default 500 */
	struct cfg_proposal proposals[CFG_MAX_PROPOSALS];
	int n_proposals;
	struct cfg_auth local, remote;
	struct cfg_child children[CFG_MAX_CHILDREN];
	int n_children;
	uint32_t dpd_delay, dpd_timeout;	/* seconds, 0 = off */
	uint32_t rekey_time, reauth_time, over_time, rand_time; /* seconds */
	uint32_t keyingtries;		/* 0 = forever */
	bool encap;			/* force UDP encapsulation */
	uint32_t keep_alive;		/* NAT keepalive interval, s; 0 = off */
	bool mobike;
	bool send_cert;			/* "always" */
};

/* private-X { file = key.pem } names a private key for pubkey auth (file
 * in file, relative paths resolved against the config file's directory;
 * secret then holds its passphrase, if any).
 */
enum cfg_secret_type { CFG_SECRET_IKE = 1, CFG_SECRET_EAP,
		       CFG_SECRET_PRIVATE };

struct cfg_secret {
	enum cfg_secret_type type;
	char name[CFG_NAME_MAX];	/* e.g. "ike-site2" */
	struct cfg_id ids[CFG_MAX_IDS];	/* none = matches any identity */
	int n_ids;
	uint8_t secret[256];		/* wiped by config_free() */
	size_t secret_len;
	char file[256];			/* CFG_SECRET_PRIVATE */
	int line;
};

struct config {
	struct cfg_conn *conns;
	int n_conns;
	struct cfg_secret *secrets;
	int n_secrets;
};

/* Parse path (and files it includes). On error returns -1 and writes one
 * message "FILE:LINE: what is wrong" to err; nothing is allocated then.
 */
int config_load(const char *path, struct config *cfg, char *err,
		size_t errlen);
void config_free(struct config *cfg);	/* wipes secrets */

/* A credential file (certs, cacerts, private-X file): value relative to
 * the directory of the file naming n, or to its subdir there (x509,
 * x509ca, private) as swanctl does. -1 with a message quoting value.
 */
struct cfg_node;
int config_cred_path(const struct cfg_node *n, const char *value,
		     const char *subdir, char out[256], char *msg,
		     size_t len);

/* Lookups used by the engine. */
const struct cfg_conn *config_find_conn(const struct config *cfg,
					const char *name);
/* The PSK for the pair of identities (either may be type 0): the secret
 * whose ids match best, as strongSwan does. NULL if none.
 */
const struct cfg_secret *config_find_psk(const struct config *cfg,
					 const struct cfg_id *local,
					 const struct cfg_id *remote);

/* As config_load(), from memory; name is used in messages and includes
 * are resolved relative to its directory.
 */
int config_load_buf(const char *name, const char *text, size_t len,
		    struct config *cfg, char *err, size_t errlen);

/* The same connection, settings for settings (not where they were
 * written): `ikectl reload' keeps its SAs. false also when out of memory.
 */
bool config_conn_same(const struct cfg_conn *a, const struct cfg_conn *b);

/* ikedaemon -n: load path, print "PATH: OK" or the error on stderr;
 * returns the exit status (0 or 1).
 */
int config_check_main(const char *path);

/* An identity as swanctl writes it: 192.0.2.1, 2001:db8::1 (IP), @host or
 * host.example (FQDN), user@host (RFC822), "C=CH, O=Org, CN=x" (DN),
 * @#0a1b (KEY_ID), %any (type 0). A leading `*' in an FQDN or RFC822
 * (*.example.com, *@example.com) is a wildcard for config_id_match().
 * -1 with a message quoting s in err.
 */
int config_parse_id(const char *s, struct cfg_id *id, char *err,
		    size_t errlen);

/* How well got (from the wire) matches want (configured): 0 no match,
 * CFG_ID_MATCH_ANY for want %any, _WILDCARD for a `*' pattern, _PERFECT
 * for the same identity (FQDN and RFC822 ignore case, DNs compare as
 * X509_NAME_cmp() does).
 */
#define CFG_ID_MATCH_NONE	0
#define CFG_ID_MATCH_ANY	1
#define CFG_ID_MATCH_WILDCARD	10
#define CFG_ID_MATCH_PERFECT	20
int config_id_match(const struct cfg_id *want, const struct cfg_id *got);

/* The EAP secret for an EAP identity (RFC 3748 identity, usually an
 * RFC822 or FQDN string): the eap-X secret whose id matches best, or one
 * without ids. NULL if none.
 */
const struct cfg_secret *config_find_eap(const struct config *cfg,
					 const struct cfg_id *id);

/*
 * Responder connection selection. Fills out[] (up to max) with the
 * connections that accept an IKE SA from remote to local (addresses with
 * ports ignored; a connection's local_addrs/remote_addrs must contain the
 * address or be %any) and, when idi is not NULL, whose remote.id matches
 * the peer's IDi (and when idr is not NULL, whose local.id matches the IDr
 * the peer asked for; a local.id of %any matches any IDr). Best first:
 * identity match ranks before address match, exact before wildcard before
 * %any, then file order. Call it with idi NULL for IKE_SA_INIT (only
 * addresses known) and again with the IDs in IKE_AUTH. Returns how many
 * matched (possibly more than max).
 */
int config_match_conn(const struct config *cfg, const struct sockaddr *local,
		      const struct sockaddr *remote, const struct cfg_id *idi,
		      const struct cfg_id *idr, const struct cfg_conn **out,
		      int max);

/*
 * For the log line when config_match_conn() found nothing: every
 * connection and why it did not match, e.g.
 *   "site: remote_addrs 192.0.2.2 does not contain 198.51.100.7;
 *    rw: remote id `@carol' does not match IDi `@dave'"
 * Same arguments. Always NUL-terminates buf (truncated with "..." if
 * needed); returns buf.
 */
char *config_conn_candidates(const struct config *cfg,
			     const struct sockaddr *local,
			     const struct sockaddr *remote,
			     const struct cfg_id *idi,
			     const struct cfg_id *idr, char *buf,
			     size_t len);

#endif
