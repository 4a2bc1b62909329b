// SPDX-License-Identifier: GPL-2.0
/* Logging: stderr in the foreground, syslog otherwise; one tag per
 * subsystem so a user can grep one concern.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "log.h"

static int log_fg = 1;
static int log_level = LOG_INFO;

static const char *const subsys_tag[] = {
	[LOG_IKE] = "IKE", [LOG_CHD] = "CHD", [LOG_CFG] = "CFG",
	[LOG_ENC] = "ENC", [LOG_NET] = "NET", [LOG_KNL] = "KNL",
	[LOG_DMN] = "DMN",
};

/*
 * In the foreground, stderr is fully buffered and the main loop flushes it
 * (log_flush()) before it waits: one write per event instead of one per
 * line (a handshake logs dozens), and nothing waits in the buffer while the
 * daemon sleeps. exit() flushes what fatalx() wrote.
 */
void log_init(int foreground, int level)
{
	static char buf[1 << 16];

	log_fg = foreground;
	log_level = level;
	if (foreground)
		setvbuf(stderr, buf, _IOFBF, sizeof(buf));
	else
		openlog("ikedaemon", LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void log_flush(void)
{
	if (log_fg)
		fflush(stderr);
}

void log_setlevel(int level)
{
	log_level = level;
}

static void vlog(int pri, const char *tag, const char *fmt, va_list ap,
		 const char *suffix)
{
	char buf[1024];

	if (pri > log_level)
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (log_fg)
		fprintf(stderr, "[%s] %s%s%s\n", tag, buf, suffix ? ": " : "",
			suffix ? suffix : "");
	else
		syslog(pri, "[%s] %s%s%s", tag, buf, suffix ? ": " : "",
		       suffix ? suffix : "");
}

#define LOG_FN(name, pri, with_errno)					\
void name(enum log_subsys s, const char *fmt, ...)			\
{									\
	const char *e = (with_errno) ? strerror(errno) : NULL;		\
	va_list ap;							\
									\
	va_start(ap, fmt);						\
	vlog(pri, subsys_tag[s], fmt, ap, e);				\
	va_end(ap);							\
}

LOG_FN(log_warn, LOG_WARNING, 1)
LOG_FN(log_warnx, LOG_WARNING, 0)
LOG_FN(log_info, LOG_INFO, 0)
LOG_FN(log_debug, LOG_DEBUG, 0)

void fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, "DMN", fmt, ap, NULL);
	va_end(ap);
	exit(1);
}
