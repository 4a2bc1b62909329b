// SPDX-License-Identifier: GPL-2.0
/*
 * ikectl up|down|rekey|status|show conns|reload|log|last-error: requests to
 * ikedaemon over its control socket (protocol: ikedaemon/ctlproto.h).
 * Each command is one request; the daemon's text (or JSON, with -j) is
 * printed as it comes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "../ikedaemon/ctlproto.h"
#include "cmd.h"
#include "print.h"

const char *daemon_socket = CTL_SOCK_PATH;

static int io_full(int fd, void *buf, size_t len, bool rd)
{
	char *p = buf;
	ssize_t r;

	while (len) {
		r = rd ? recv(fd, p, len, 0) : send(fd, p, len, MSG_NOSIGNAL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (!r)
				errno = ECONNRESET;
			return -1;
		}
		p += r;
		len -= r;
	}
	return 0;
}

static int connect_daemon(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, err;

	if (strlen(daemon_socket) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "ikectl: socket path `%s' is too long\n",
			daemon_socket);
		return -1;
	}
	strcpy(sun.sun_path, daemon_socket);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && !connect(fd, (struct sockaddr *)&sun, sizeof(sun)))
		return fd;
	err = errno;
	if (fd >= 0)
		close(fd);
	fprintf(stderr, "ikectl: cannot reach ikedaemon at %s: %s — %s\n",
		daemon_socket, strerror(err),
		err == EACCES ? "ikectl needs root" : "is ikedaemon running?");
	return -1;
}

/* One request; prints the reply. Returns an IK_EXIT_* status. */
static int request(const char *op, uint16_t type, const char *arg)
{
	struct timeval tv = { 10, 0 };
	struct ctl_hdr hdr = { .type = type, .version = CTL_VERSION,
			       .flags = pr_json ? CTL_F_JSON : 0 };
	char *text = NULL;
	int fd, ret = IK_EXIT_FAIL;

	hdr.len = arg ? strlen(arg) + 1 : 0;
	if (hdr.len > CTL_ARG_MAX)
		return usage_error(op, "`%.40s...' is too long", arg);
	fd = connect_daemon();
	if (fd < 0)
		return IK_EXIT_FAIL;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (io_full(fd, &hdr, sizeof(hdr), false) ||
	    io_full(fd, (void *)arg, hdr.len, false) ||
	    io_full(fd, &hdr, sizeof(hdr), true)) {
		fprintf(stderr, "ikectl: %s: talking to ikedaemon at %s: %s\n",
			op, daemon_socket, strerror(errno));
		goto out;
	}
	if (hdr.version != CTL_VERSION || hdr.len > CTL_REPLY_MAX ||
	    (hdr.type != CTL_REPLY_OK && hdr.type != CTL_REPLY_ERR)) {
		fprintf(stderr, "ikectl: %s: unexpected reply from ikedaemon (protocol version %u, ikectl speaks %d)\n",
			op, hdr.version, CTL_VERSION);
		goto out;
	}
	text = malloc(hdr.len + 1);
	if (!text || io_full(fd, text, hdr.len, true)) {
		fprintf(stderr, "ikectl: %s: reading the reply: %s\n", op,
			strerror(text ? errno : ENOMEM));
		goto out;
	}
	text[hdr.len] = '\0';
	if (hdr.type == CTL_REPLY_ERR) {
		fprintf(stderr, "ikectl: %s: %s%s", op, text,
			hdr.len && text[hdr.len - 1] == '\n' ? "" : "\n");
		goto out;
	}
	fputs(text, stdout);
	if (hdr.len && text[hdr.len - 1] != '\n')
		putchar('\n');
	ret = IK_EXIT_OK;
out:
	free(text);
	close(fd);
	return ret;
}

/* argv: the command, then exactly one connection name. */
static int with_conn(int argc, char **argv, uint16_t type)
{
	if (argc != 2)
		return usage_error(argv[0], "expects one connection name");
	return request(argv[0], type, argv[1]);
}

static int no_args(int argc, char **argv, uint16_t type)
{
	if (argc > 1)
		return usage_error(argv[0], "takes no arguments");
	return request(argv[0], type, NULL);
}

int cmd_up(int argc, char **argv)
{
	return with_conn(argc, argv, CTL_UP);
}

int cmd_down(int argc, char **argv)
{
	return with_conn(argc, argv, CTL_DOWN);
}

/* rekey [--ike] NAME: the CHILD SA (default) or the IKE SA, now. */
int cmd_rekey(int argc, char **argv)
{
	bool ike = argc == 3 && !strcmp(argv[1], "--ike");

	if (argc != 2 + ike || argv[argc - 1][0] == '-')
		return usage_error("rekey", "expects [--ike] and one connection name");
	return request("rekey", ike ? CTL_REKEY_IKE : CTL_REKEY_CHILD,
		       argv[argc - 1]);
}

int cmd_last_error(int argc, char **argv)
{
	return with_conn(argc, argv, CTL_LAST_ERROR);
}

int cmd_status(int argc, char **argv)
{
	if (argc > 2)
		return usage_error("status", "expects at most one connection name");
	return request("status", CTL_STATUS, argc == 2 ? argv[1] : NULL);
}

int cmd_reload(int argc, char **argv)
{
	return no_args(argc, argv, CTL_RELOAD);
}

static int cmd_show_conns(int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return usage_error("show conns", "takes no arguments");
	return request("show conns", CTL_SHOW_CONNS, NULL);
}

const struct command show_commands[] = {
	{ .name = "conns", .handler = cmd_show_conns, .syntax = "",
	  .description = "the connections ikedaemon has loaded" },
	{ .name = NULL }
};

/* LEVEL: a syslog level name or 0..7 (7 = debug). */
int cmd_log(int argc, char **argv)
{
	static const char *const names[] = { "emerg", "alert", "crit", "err",
					     "warning", "notice", "info",
					     "debug" };
	char num[2] = "";
	int i;

	if (argc != 2)
		return usage_error("log", "expects a level (debug, info, notice, warning, err, or 0..7)");
	for (i = 0; i < 8; i++)
		if (!strcasecmp(argv[1], names[i]) ||
		    (argv[1][0] == '0' + i && !argv[1][1]))
			num[0] = '0' + i;
	if (!num[0])
		return usage_error("log", "invalid level `%s' (debug, info, notice, warning, err, or 0..7)",
				   argv[1]);
	return request("log", CTL_LOG_LEVEL, num);
}
