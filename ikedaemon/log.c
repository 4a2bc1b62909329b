// SPDX-License-Identifier: GPL-2.0
/* Logging: stderr in the foreground, syslog otherwise; one tag per
 * subsystem so a user can grep one concern.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "log.h"

#define LOG_LINE_MAX	1024	/* bytes of a message, tag and suffix apart */

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

bool log_debug_on(void)
{
	return log_level >= LOG_DEBUG;
}

/*
 * The line is formatted once, tag and suffix copied around it, and handed
 * over whole: a second printf pass over the formatted text cost as much
 * as the first, on every line a handshake logs.
 */
static void vlog(int pri, const char *tag, const char *fmt, va_list ap,
		 const char *suffix)
{
	char buf[16 + LOG_LINE_MAX + 2 + 64];
	size_t off, n = strnlen(tag, 12);
	int r;

	if (pri > log_level)
		return;
	buf[0] = '[';
	memcpy(buf + 1, tag, n);
	memcpy(buf + 1 + n, "] ", 2);
	off = n + 3;
	r = vsnprintf(buf + off, LOG_LINE_MAX, fmt, ap);
	if (r < 0)
		r = 0;
	off += (size_t)r < LOG_LINE_MAX ? (size_t)r : LOG_LINE_MAX - 1;
	if (suffix) {
		n = strnlen(suffix, 62);
		memcpy(buf + off, ": ", 2);
		memcpy(buf + off + 2, suffix, n);
		off += 2 + n;
	}
	if (log_fg) {
		buf[off++] = '\n';
		fwrite(buf, 1, off, stderr);
	} else {
		buf[off] = '\0';
		syslog(pri, "%s", buf);
	}
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
