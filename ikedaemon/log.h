/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IKEDAEMON_LOG_H
#define IKEDAEMON_LOG_H

#include <stdarg.h>
#include <stdbool.h>

/* Subsystem tags, as charon's IKE/CHD/CFG/ENC/NET/KNL. */
enum log_subsys { LOG_IKE, LOG_CHD, LOG_CFG, LOG_ENC, LOG_NET, LOG_KNL,
		  LOG_DMN };

void log_init(int foreground, int level);
void log_setlevel(int level);
/* Debug lines are written: arguments that cost to compute (addresses as
 * text) are worth computing.
 */
bool log_debug_on(void);
/* Write out what the foreground log holds (before the daemon waits). */
void log_flush(void);
void log_warn(enum log_subsys s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));	/* appends strerror(errno) */
void log_warnx(enum log_subsys s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void log_info(enum log_subsys s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void log_debug(enum log_subsys s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void fatalx(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

#endif
