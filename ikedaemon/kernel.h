/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ikesec module, as the IKE engine sees it (iked's pfkey.c): a few
 * verbs and an event listener. kernel.c is the only file that speaks
 * netlink; everything else passes plain structures.
 */
#ifndef IKEDAEMON_KERNEL_H
#define IKEDAEMON_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "ts.h"

struct kernel_sa {
	uint8_t dir;			/* IKESEC_DIR_IN / _OUT */
	uint32_t spi;			/* host order */
	uint8_t mode;			/* IKESEC_MODE_* */
	struct sockaddr_storage local, peer;
	uint16_t enc_alg;		/* IKESEC_ENC_* */
	const uint8_t *enc_key;
	size_t enc_key_len;
	uint16_t auth_alg;		/* IKESEC_AUTH_*, 0 for AEAD */
	const uint8_t *auth_key;
	size_t auth_key_len;
	bool esn;
	uint32_t replay_window;
	uint32_t reqid;
	uint16_t encap_sport, encap_dport;	/* 0: no UDP encapsulation */
	const struct ts *sel_src, *sel_dst;	/* NULL: any */
	uint64_t soft_secs, hard_secs;		/* 0: unlimited */
};

struct kernel_policy {
	uint8_t dir;			/* IKESEC_DIR_* */
	uint8_t action;			/* IKESEC_ACTION_* */
	uint32_t priority;
	const struct ts *src, *dst;	/* inner selector */
	uint32_t reqid;
	uint8_t mode;
	struct sockaddr_storage local, peer;	/* tunnel endpoints */
};

int kernel_init(void);
void kernel_close(void);
/* Errors are logged with the module's extack text; return -errno. */
int kernel_spi_alloc(uint32_t *spi);
int kernel_sa_add(const struct kernel_sa *sa);
int kernel_sa_del(uint8_t dir, uint32_t spi,
		  const struct sockaddr_storage *peer);
/* SA_GET: packets the SA protected (out) or accepted (in) so far. */
int kernel_sa_packets(uint8_t dir, uint32_t spi,
		      const struct sockaddr_storage *peer, uint64_t *packets);
/* SA_SET: the SA (outbound: identified by old_peer) now talks to
 * new_peer, its address and ESP-in-UDP port.
 */
int kernel_sa_set_peer(uint8_t dir, uint32_t spi,
		       const struct sockaddr_storage *old_peer,
		       const struct sockaddr_storage *new_peer);
/* ENCAP_ATTACH: ESP in UDP arriving on our bound UDP socket fd goes to
 * the module; IKE stays on it. -errno (logged unless -ENODEV).
 */
int kernel_encap_attach(int fd);
int kernel_policy_add(const struct kernel_policy *pol, uint32_t *id);
int kernel_policy_del(uint32_t id);

/* Events (ACQUIRE, EXPIRE) on their own socket. */
int kernel_event_fd(void);
void kernel_event_dispatch(void);

/* Implemented by the engine (child_sa.c), called on events. */
void child_sa_expired(uint8_t dir, uint32_t spi, bool hard);
void child_sa_acquire(uint32_t policy_id);
/* MAPPING: authenticated ESP in UDP for SA spi from a new address/port. */
void child_sa_mapping(uint8_t dir, uint32_t spi,
		      const struct sockaddr_storage *peer);

#endif
