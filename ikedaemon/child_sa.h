/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CHILD SAs in the ikesec module: keys, installation, removal, expiry.
 * child_sa.c is the engine's only user of kernel.c's SA and policy verbs.
 */
#ifndef IKEDAEMON_CHILD_SA_H
#define IKEDAEMON_CHILD_SA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct ike_sa;
struct ike_keys;
struct child_sa;

/* Nonces and the optional PFS secret that key a CHILD SA; initiator:
 * we started the exchange that made it (2.17: keys i->r come first).
 */
struct child_keys {
	const uint8_t *ni, *nr, *shared;
	size_t ni_len, nr_len, slen;
	bool initiator;
};

/*
 * Derive the keys and add both SAs; new policies unless rekeying (the new
 * SAs then take the old reqid, and the module prefers the newest SA of a
 * reqid: make before break). 0 or -1 (logged).
 */
int child_sa_install(struct ike_sa *sa, struct child_sa *cs,
		     const struct child_keys *ck, bool rekey);
void child_sa_uninstall(struct ike_sa *sa, struct child_sa *cs);
/* The peer moved from old to sa->sa_peer: SA_SET on every CHILD SA of sa
 * (NEW_PEER, ENCAP_DPORT), policies renewed on an address change.
 */
void child_sa_move_all(struct ike_sa *sa, const struct sockaddr_storage *old);
/* Every CHILD SA of sa (current and rekeyed). */
void child_sa_uninstall_all(struct ike_sa *sa);
/* The peer deleted its inbound SA spi_out (our outbound): remove that
 * CHILD SA (current or rekeyed); *spi_in is ours for the answer. -1 if
 * unknown.
 */
int child_sa_delete(struct ike_sa *sa, uint32_t spi_out, uint32_t *spi_in);
/* cs->cs_out_deferred: keep the outbound SA ks for later (ikev2_child.c);
 * child_sa_install_out() adds it; child_sa_out_drop() forgets it and
 * says whether there was one.
 */
struct kernel_sa;
int child_sa_defer_out(struct child_sa *cs, const struct kernel_sa *ks);
int child_sa_install_out(struct ike_sa *sa, struct child_sa *cs);
bool child_sa_out_drop(struct child_sa *cs);
/* KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr) (2.17); exported for tests. */
int child_sa_keymat(const struct ike_keys *k, const uint8_t *shared,
		    size_t slen, const uint8_t *ni, size_t ni_len,
		    const uint8_t *nr, size_t nr_len, uint8_t *out, size_t len);

#endif
