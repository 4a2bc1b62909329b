/* SPDX-License-Identifier: GPL-2.0 */
/*
 * start_action = trap: an outbound protect policy per child without an
 * SA; the first packet makes the module send ACQUIRE and the IKE SA is
 * started then. CHILD SAs of a trapped child take the trap's reqid so the
 * trap policy leads to them.
 */
#ifndef IKEDAEMON_TRAP_H
#define IKEDAEMON_TRAP_H

#include <stdint.h>

struct config;
struct cfg_child;
struct cfg_conn;

/* Install a trap for every child with start_action = trap. */
void trap_install_all(const struct config *cfg);
void trap_remove_all(void);
/* `ikectl reload': traps of one connection; rebind moves them to the
 * same connection (config_conn_same()) in the new configuration.
 */
void trap_install_conn(const struct cfg_conn *c);
void trap_remove_conn(const struct cfg_conn *c);
void trap_rebind(const struct cfg_conn *old, const struct cfg_conn *new);
/* The reqid of cc's trap, 0 if it has none. */
uint32_t trap_reqid(const struct cfg_child *cc);
/* ACQUIRE for policy_id: initiate its connection unless under way. */
void trap_acquire(uint32_t policy_id);
/* A reqid no trap or CHILD SA uses yet. */
uint32_t trap_new_reqid(void);

#endif
