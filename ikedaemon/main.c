// SPDX-License-Identifier: GPL-2.0
/* ikedaemon: the IKEv2 (RFC 7296) daemon of ikesec. The protocol engine is
 * being built (see the README's status section); today this binary parses
 * its options and reports that clearly instead of pretending to run.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>

#include "log.h"

#define IKEDAEMON_CONF	"/etc/ikesec/swanctl.conf"

static void usage(void)
{
	fprintf(stderr,
		"usage: ikedaemon [-dnv] [-f file]\n"
		"  -d       stay in the foreground, log to stderr\n"
		"  -f file  configuration (default " IKEDAEMON_CONF ")\n"
		"  -n       check the configuration and exit\n"
		"  -v       verbose (debug) logging\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *conf = IKEDAEMON_CONF;
	int ch, foreground = 0, level = LOG_INFO;

	while ((ch = getopt(argc, argv, "df:nv")) != -1) {
		switch (ch) {
		case 'd':
			foreground = 1;
			break;
		case 'f':
			conf = optarg;
			break;
		case 'n':
			foreground = 1;
			break;
		case 'v':
			level = LOG_DEBUG;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	log_init(foreground, level);
	fatalx("IKEv2 engine not implemented yet; cannot use %s "
	       "(manual keying works: see ikectl sa add)", conf);
}
