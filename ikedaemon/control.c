// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket, daemon side (protocol: ctlproto.h). A listening
 * UNIX socket the engine polls; each connection carries one request,
 * answered by one engine_* call, then closed.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include "control.h"
#include "ctlproto.h"
#include "log.h"

static int ctl_fd = -1;
static char ctl_path[sizeof(((struct sockaddr_un *)0)->sun_path)];

void control_printf(struct control_reply *r, const char *fmt, ...)
{
	va_list ap;
	size_t need;
	char *p;
	int n;

	if (r->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	need = r->len + n + 1;
	if (need > CTL_REPLY_MAX) {
		r->overflow = true;
		return;
	}
	if (need > r->cap) {
		size_t cap = r->cap ? r->cap : 1024;

		while (cap < need)
			cap *= 2;
		p = realloc(r->buf, cap);
		if (!p) {
			r->overflow = true;
			return;
		}
		r->buf = p;
		r->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(r->buf + r->len, r->cap - r->len, fmt, ap);
	va_end(ap);
	r->len += n;
}

void control_json_str(struct control_reply *r, const char *s)
{
	control_printf(r, "\"");
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			control_printf(r, "\\%c", c);
		else if (c < 0x20)
			control_printf(r, "\\u%04x", c);
		else
			control_printf(r, "%c", c);
	}
	control_printf(r, "\"");
}

/* Is a daemon answering at path? */
static bool someone_listens(const struct sockaddr_un *sun)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool yes;

	if (fd < 0)
		return false;
	yes = !connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	close(fd);
	return yes;
}

/* The socket's directory: created 0700 if missing, never changed. */
static int make_dir(const char *path)
{
	char *copy = strdup(path), *dir;
	struct stat st;
	int ret = -1;

	if (!copy)
		return -1;
	dir = dirname(copy);
	if (!stat(dir, &st)) {
		if (S_ISDIR(st.st_mode))
			ret = 0;
		else
			log_warnx(LOG_DMN, "control: %s is not a directory",
				  dir);
	} else if (errno != ENOENT || mkdir(dir, 0700)) {
		log_warn(LOG_DMN, "control: cannot create %s", dir);
	} else {
		ret = 0;
	}
	free(copy);
	return ret;
}

int control_init(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct stat st;
	mode_t old;
	int fd;

	if (!path)
		path = CTL_SOCK_PATH;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		log_warnx(LOG_DMN, "control: socket path `%s' is too long",
			  path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	if (make_dir(path))
		return -1;
	if (!lstat(path, &st)) {
		if (!S_ISSOCK(st.st_mode)) {
			log_warnx(LOG_DMN, "control: %s exists and is not a socket",
				  path);
			return -1;
		}
		if (someone_listens(&sun)) {
			log_warnx(LOG_DMN, "control: another ikedaemon is listening on %s",
				  path);
			return -1;
		}
		unlink(path);	/* left over from a daemon that died */
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		log_warn(LOG_DMN, "control: socket");
		return -1;
	}
	old = umask(0177);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		umask(old);
		log_warn(LOG_DMN, "control: bind %s", path);
		goto fail;
	}
	umask(old);
	if (chmod(path, 0600) || listen(fd, 16)) {
		log_warn(LOG_DMN, "control: %s", path);
		unlink(path);
		goto fail;
	}
	ctl_fd = fd;
	strcpy(ctl_path, path);
	log_debug(LOG_DMN, "control: listening on %s", path);
	return 0;
fail:
	close(fd);
	return -1;
}

int control_fd(void)
{
	return ctl_fd;
}

void control_close(void)
{
	if (ctl_fd < 0)
		return;
	close(ctl_fd);
	unlink(ctl_path);
	ctl_fd = -1;
}

static int io_full(int fd, void *buf, size_t len, bool rd)
{
	uint8_t *p = buf;
	ssize_t r;

	while (len) {
		r = rd ? recv(fd, p, len, 0) : send(fd, p, len, MSG_NOSIGNAL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		len -= r;
	}
	return 0;
}

/* The request in hdr/arg into r; returns CTL_REPLY_OK or _ERR. */
static int dispatch(const struct ctl_hdr *hdr, const char *arg,
		    struct control_reply *r)
{
	bool need_conn = hdr->type == CTL_UP || hdr->type == CTL_DOWN ||
			 hdr->type == CTL_LAST_ERROR ||
			 hdr->type == CTL_REKEY_CHILD ||
			 hdr->type == CTL_REKEY_IKE;
	int ret;

	if (need_conn && !*arg) {
		control_printf(r, "a connection name is needed");
		return CTL_REPLY_ERR;
	}
	switch (hdr->type) {
	case CTL_UP:
		ret = engine_up(arg, r);
		break;
	case CTL_DOWN:
		ret = engine_down(arg, r);
		break;
	case CTL_STATUS:
		ret = engine_status(*arg ? arg : NULL, r);
		break;
	case CTL_SHOW_CONNS:
		ret = engine_show_conns(r);
		break;
	case CTL_RELOAD:
		ret = engine_reload(r);
		break;
	case CTL_LOG_LEVEL:
		if (strlen(arg) != 1 || arg[0] < '0' || arg[0] > '7') {
			control_printf(r, "invalid log level `%s' (0..7)", arg);
			return CTL_REPLY_ERR;
		}
		ret = engine_log_level(arg[0] - '0', r);
		break;
	case CTL_LAST_ERROR:
		ret = engine_last_error(arg, r);
		break;
	case CTL_REKEY_CHILD:
	case CTL_REKEY_IKE:
		ret = engine_rekey(arg, hdr->type == CTL_REKEY_IKE, r);
		break;
	default:
		control_printf(r, "unknown request type %u", hdr->type);
		return CTL_REPLY_ERR;
	}
	return ret ? CTL_REPLY_ERR : CTL_REPLY_OK;
}

static void serve(int fd)
{
	struct timeval tv = { CTL_TIMEOUT_MS / 1000,
			      CTL_TIMEOUT_MS % 1000 * 1000 };
	struct control_reply r = { 0 };
	struct ctl_hdr hdr, out = { .version = CTL_VERSION };
	struct ucred cred;
	socklen_t len = sizeof(cred);
	char arg[CTL_ARG_MAX + 1] = "";

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) ||
	    (cred.uid != 0 && cred.uid != geteuid())) {
		log_warnx(LOG_DMN, "control: refusing a client with uid %u",
			  (unsigned int)cred.uid);
		return;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (io_full(fd, &hdr, sizeof(hdr), true))
		return;
	out.type = CTL_REPLY_ERR;
	if (hdr.version != CTL_VERSION) {
		control_printf(&r, "ikectl speaks control protocol version %u, ikedaemon %d: use the ikectl of this ikedaemon",
			       hdr.version, CTL_VERSION);
	} else if (hdr.len > CTL_ARG_MAX || (hdr.flags & ~CTL_F_ALL)) {
		control_printf(&r, "malformed request");
	} else if (io_full(fd, arg, hdr.len, true)) {
		return;
	} else if (hdr.len && (arg[hdr.len - 1] ||
			       strlen(arg) != hdr.len - 1)) {
		control_printf(&r, "malformed request argument");
	} else {
		r.json = hdr.flags & CTL_F_JSON;
		log_debug(LOG_DMN, "control: request %u `%s'", hdr.type, arg);
		out.type = dispatch(&hdr, arg, &r);
	}
	if (r.overflow)
		log_warnx(LOG_DMN, "control: reply truncated at %d bytes",
			  CTL_REPLY_MAX);
	out.len = r.len;
	if (io_full(fd, &out, sizeof(out), false) ||
	    io_full(fd, r.buf, r.len, false))
		log_debug(LOG_DMN, "control: client went away");
	free(r.buf);
}

void control_handle(void)
{
	int fd;

	for (;;) {
		fd = accept4(ctl_fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_warn(LOG_DMN, "control: accept");
			return;
		}
		serve(fd);
		close(fd);
	}
}

/* Defaults until the engine defines these (see control.h). */
static int not_yet(struct control_reply *r)
{
	control_printf(r, "not implemented yet (the IKE engine is being built)");
	return -1;
}

__attribute__((weak)) int engine_up(const char *conn,
				    struct control_reply *r)
{
	(void)conn;
	return not_yet(r);
}

__attribute__((weak)) int engine_down(const char *conn,
				      struct control_reply *r)
{
	(void)conn;
	return not_yet(r);
}

__attribute__((weak)) int engine_status(const char *conn,
					struct control_reply *r)
{
	(void)conn;
	return not_yet(r);
}

__attribute__((weak)) int engine_show_conns(struct control_reply *r)
{
	return not_yet(r);
}

__attribute__((weak)) int engine_reload(struct control_reply *r)
{
	return not_yet(r);
}

__attribute__((weak)) int engine_last_error(const char *conn,
					    struct control_reply *r)
{
	(void)conn;
	return not_yet(r);
}

__attribute__((weak)) int engine_rekey(const char *conn, bool ike,
				       struct control_reply *r)
{
	(void)conn;
	(void)ike;
	return not_yet(r);
}

__attribute__((weak)) int engine_log_level(int level,
					   struct control_reply *r)
{
	static const char *const names[] = { "emerg", "alert", "crit", "err",
					     "warning", "notice", "info",
					     "debug" };

	log_setlevel(level);
	control_printf(r, "log level %d (%s)\n", level, names[level]);
	return 0;
}
