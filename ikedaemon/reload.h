/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `ikectl reload' (reload.c): apply a newly loaded configuration to the
 * running SAs and traps, keeping what did not change.
 */
#ifndef IKEDAEMON_RELOAD_H
#define IKEDAEMON_RELOAD_H

#include <stdbool.h>

struct config;
struct control_reply;

/* Called with new already the engine's configuration; one line per
 * connection into r (unchanged / changed / removed / added).
 */
void reload_apply(const struct config *old, const struct config *new,
		  struct control_reply *r);
/* Does an IKE SA still point into cfg (a retired configuration)? */
bool reload_in_use(const struct config *cfg);

#endif
