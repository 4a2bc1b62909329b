/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The engine as main.c drives it: the configuration it runs with, start
 * of start_action=start children, orderly shutdown, and the per-connection
 * "last error" that `ikectl` can ask for.
 */
#ifndef IKEDAEMON_ENGINE_H
#define IKEDAEMON_ENGINE_H

struct config;

void engine_set_config(struct config *cfg, const char *path);
void engine_start(void);
void engine_shutdown(void);
void engine_note_error(const char *conn, const char *text);

#endif
