// SPDX-License-Identifier: GPL-2.0
/*
 * ikedaemon: the IKEv2 (RFC 7296) daemon of ikesec. One thread, one poll()
 * loop: IKE sockets (net.c), the module's events (kernel.c), the control
 * socket (control.c) and timers (timer.c).
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "config.h"
#include "control.h"
#include "crypto_selftest.h"
#include "engine.h"
#include "ike_sa.h"
#include "ikev2.h"
#include "ikev2_cookie.h"
#include "ikev2_msg.h"
#include "kernel.h"
#include "log.h"
#include "net.h"
#include "timer.h"

#define IKEDAEMON_CONF	"/etc/ikesec/swanctl.conf"
#define MAIN_MAX_FDS	(NET_MAX_FDS + 2)

static volatile sig_atomic_t quit;

static void on_signal(int sig)
{
	(void)sig;
	quit = 1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: ikedaemon [-dnv] [-b base] [-c half-open] [-f file] "
		"[-r tries]\n"
		"                 [-s socket] [-t timeout]\n"
		"  -b base    each retransmit waits base times the last "
		"(default 2)\n"
		"  -c n       answer IKE_SA_INIT with a COOKIE from n half-open\n"
		"             IKE SAs on (default %d, 0: always)\n"
		"  -d         stay in the foreground, log to stderr\n"
		"  -f file    configuration (default " IKEDAEMON_CONF ")\n"
		"  -n         check the configuration and exit\n"
		"  -r tries   retransmits before a peer is given up "
		"(default %d)\n"
		"  -s socket  control socket (default /run/ikesec/ikedaemon.sock)\n"
		"  -t timeout seconds before the first retransmit "
		"(default %.1f)\n"
		"  -v         verbose (debug) logging\n",
		COOKIE_THRESHOLD_DEFAULT, IKE_RETRANS_TRIES,
		IKE_RETRANS_BASE / 1000.0);
	exit(2);
}

/* A number of -b/-t/-r within [min, max], or usage() naming it. */
static double opt_num(int ch, const char *arg, double min, double max)
{
	static const char *const what[] = {
		['b'] = "retransmit base", ['r'] = "retransmit tries",
		['t'] = "retransmit timeout (seconds)",
	};
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || v < min || v > max ||
	    (ch == 'r' && v != (int)v)) {
		fprintf(stderr, "ikedaemon: invalid %s `%s' (%g..%g%s)\n",
			what[ch], arg, min, max,
			ch == 'r' ? ", whole number" : "");
		usage();
	}
	return v;
}

/* Between two datagrams of a batch: the IKE SAs that died go, and the
 * next one is handled at its own time.
 */
static void after_dgram(void)
{
	ike_sa_reap();
	timer_hold();
}

static void loop(void)
{
	struct pollfd pfd[MAIN_MAX_FDS];
	int i, n, nnet, kfd, cfd;

	while (!quit) {
		nnet = net_pollfds(pfd, NET_MAX_FDS);
		n = nnet;
		kfd = kernel_event_fd();
		if (kfd >= 0) {
			pfd[n].fd = kfd;
			pfd[n].events = POLLIN;
			pfd[n++].revents = 0;
		}
		cfd = control_fd();
		if (cfd >= 0) {
			pfd[n].fd = cfd;
			pfd[n].events = POLLIN;
			pfd[n++].revents = 0;
		}
		log_flush();
		timer_release();
		if (poll(pfd, (nfds_t)n, timer_next()) < 0) {
			if (errno != EINTR)
				fatalx("poll: %s", strerror(errno));
			continue;
		}
		timer_hold();
		for (i = 0; i < n; i++) {
			if (!(pfd[i].revents & (POLLIN | POLLERR)))
				continue;
			if (i < nnet)
				net_dispatch(pfd[i].fd, after_dgram);
			else if (pfd[i].fd == kfd)
				kernel_event_dispatch();
			else if (pfd[i].fd == cfd)
				control_handle();
			ike_sa_reap();
		}
		timer_run();
		ike_sa_reap();
	}
}

int main(int argc, char **argv)
{
	const char *conf = IKEDAEMON_CONF, *sock = NULL;
	int ch, foreground = 0, check = 0, level = LOG_INFO;
	struct sigaction sa = { .sa_handler = on_signal };
	struct config *cfg;
	double rt_timeout = IKE_RETRANS_BASE / 1000.0, rt_base = 2.0;
	int rt_tries = IKE_RETRANS_TRIES;
	char err[512], *end;
	const char *bad;
	unsigned long n;

	while ((ch = getopt(argc, argv, "b:c:df:nr:s:t:v")) != -1) {
		switch (ch) {
		case 'b':
			rt_base = opt_num(ch, optarg, 1, 10);
			break;
		case 'r':
			rt_tries = (int)opt_num(ch, optarg, 0, 20);
			break;
		case 't':
			rt_timeout = opt_num(ch, optarg, 0.01, 600);
			break;
		case 'c':
			n = strtoul(optarg, &end, 10);
			if (*end || !*optarg || optarg[0] == '-' || n > 1000000) {
				fprintf(stderr, "ikedaemon: invalid COOKIE "
					"threshold `%s' (0..1000000)\n",
					optarg);
				usage();
			}
			ikev2_cookie_set_threshold((unsigned int)n);
			break;
		case 'd':
			foreground = 1;
			break;
		case 'f':
			conf = optarg;
			break;
		case 'n':
			check = 1;
			break;
		case 's':
			sock = optarg;
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
	ikev2_msg_set_retransmit((unsigned int)(rt_timeout * 1000 + 0.5),
				 rt_base, rt_tries);
	if (check)
		return config_check_main(conf);

	log_init(foreground, level);
	cfg = calloc(1, sizeof(*cfg));
	if (!cfg)
		fatalx("out of memory");
	if (config_load(conf, cfg, err, sizeof(err)))
		fatalx("%s", err);
	bad = crypto_selftest();
	if (bad)
		fatalx("crypto self-test failed: %s (libcrypto, its providers)",
		       bad);
	engine_set_config(cfg, conf);
	log_info(LOG_CFG, "loaded %s: %d connections, %d secrets", conf,
		 cfg->n_conns, cfg->n_secrets);

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (kernel_init())
		log_warnx(LOG_KNL, "continuing without the ikesec module: "
			  "CHILD SAs cannot be installed");
	if (net_init(IKEV2_PORT, IKEV2_NATT_PORT))
		fatalx("cannot listen for IKE");
	if (control_init(sock))
		fatalx("cannot open the control socket");
	log_info(LOG_DMN, "ikedaemon started");

	engine_start();
	loop();

	log_info(LOG_DMN, "shutting down");
	engine_shutdown();
	control_close();
	net_close();
	kernel_close();
	return 0;
}
