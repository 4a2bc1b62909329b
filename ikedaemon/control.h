/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's end of the control socket (protocol: ctlproto.h). The
 * engine's event loop polls control_fd() and calls control_handle() when
 * it is readable; control.c reads the request and calls one engine_*
 * function, which writes its answer with control_printf(). Each handled
 * request blocks the loop at most CTL_TIMEOUT_MS (a stalled client).
 *
 * The engine_* functions below have weak defaults in control.c that
 * answer "not implemented" (engine_log_level's sets the level for real),
 * so ikedaemon links before the engine provides them.
 */
#ifndef IKEDAEMON_CONTROL_H
#define IKEDAEMON_CONTROL_H

#include <stdbool.h>
#include <stddef.h>

struct config;

struct control_reply {
	char *buf;
	size_t len, cap;
	bool json;		/* the client asked for JSON */
	bool overflow;		/* more than CTL_REPLY_MAX: truncated */
};

/* Listen on path (NULL: CTL_SOCK_PATH), creating its directory 0700 if
 * missing; refuses if another daemon answers there. 0 or -1 (logged).
 */
int control_init(const char *path);
int control_fd(void);		/* -1 before control_init() */
void control_handle(void);	/* accept and answer pending requests */
void control_close(void);	/* close and unlink the socket */

void control_printf(struct control_reply *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* s as a JSON string, quotes included. */
void control_json_str(struct control_reply *r, const char *s);
/* `ikectl show conns' from a loaded configuration (text or JSON as r
 * asks): engine_show_conns() can be just this.
 */
void control_show_conns(const struct config *cfg, struct control_reply *r);

/*
 * Implemented by the engine. Return 0 on success, -1 on failure; what
 * they printed into r is the reply text either way (on failure one line
 * saying why, e.g. "no connection `foo'"). conn is never NULL except
 * for engine_status (all SAs).
 */
int engine_up(const char *conn, struct control_reply *r);
int engine_down(const char *conn, struct control_reply *r);
int engine_status(const char *conn, struct control_reply *r);
int engine_show_conns(struct control_reply *r);
int engine_reload(struct control_reply *r);
int engine_log_level(int level, struct control_reply *r);
int engine_last_error(const char *conn, struct control_reply *r);
int engine_rekey(const char *conn, bool ike, struct control_reply *r);

#endif
