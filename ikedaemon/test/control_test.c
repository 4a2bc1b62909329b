// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for control.c: a socket in a temporary directory, a client
 * speaking ctlproto.h in a child process, the engine_* weak defaults
 * answering.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "control.h"
#include "ctlproto.h"
#include "log.h"

struct reply {
	struct ctl_hdr hdr;
	char text[4096];
};

static int ask(const char *path, struct ctl_hdr *req, const char *arg,
	       struct reply *r)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ssize_t n;

	strcpy(sun.sun_path, path);
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) ||
	    write(fd, req, sizeof(*req)) != sizeof(*req) ||
	    (req->len && write(fd, arg, req->len) != (ssize_t)req->len) ||
	    recv(fd, &r->hdr, sizeof(r->hdr), MSG_WAITALL) != sizeof(r->hdr))
		return -1;
	memset(r->text, 0, sizeof(r->text));
	n = recv(fd, r->text, sizeof(r->text) - 1, MSG_WAITALL);
	close(fd);
	return n == (ssize_t)r->hdr.len ? 0 : -1;
}

/* Serve until the client child exits; its status is the result. */
static int serve(pid_t child)
{
	struct pollfd p = { .fd = control_fd(), .events = POLLIN };
	int status;

	for (;;) {
		if (waitpid(child, &status, WNOHANG) == child)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 99;
		if (poll(&p, 1, 100) > 0)
			control_handle();
	}
}

#define CHECK(cond)	do { if (!(cond)) { \
	fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #cond); \
	_exit(1); } } while (0)

static void client(const char *path)
{
	struct ctl_hdr req = { .version = CTL_VERSION };
	struct reply r;

	req.type = CTL_UP;
	req.len = 5;
	CHECK(!ask(path, &req, "site", &r));
	CHECK(r.hdr.type == CTL_REPLY_ERR);
	CHECK(!strcmp(r.text, "not implemented yet (the IKE engine is being built)"));

	req.type = CTL_UP;
	req.len = 0;
	CHECK(!ask(path, &req, NULL, &r));
	CHECK(r.hdr.type == CTL_REPLY_ERR);
	CHECK(!strcmp(r.text, "a connection name is needed"));

	req.type = CTL_LOG_LEVEL;
	req.len = 2;
	CHECK(!ask(path, &req, "7", &r));
	CHECK(r.hdr.type == CTL_REPLY_OK);
	CHECK(!strcmp(r.text, "log level 7 (debug)\n"));
	CHECK(!ask(path, &req, "2", &r));	/* quiet again */
	CHECK(!strcmp(r.text, "log level 2 (crit)\n"));

	CHECK(!ask(path, &req, "9", &r));
	CHECK(r.hdr.type == CTL_REPLY_ERR);
	CHECK(!strcmp(r.text, "invalid log level `9' (0..7)"));

	req.len = 3;		/* not NUL-terminated where it says */
	CHECK(!ask(path, &req, "7\0x", &r));
	CHECK(r.hdr.type == CTL_REPLY_ERR);
	CHECK(!strcmp(r.text, "malformed request argument"));

	req.type = 77;
	req.len = 0;
	CHECK(!ask(path, &req, NULL, &r));
	CHECK(!strcmp(r.text, "unknown request type 77"));

	req.type = CTL_STATUS;
	req.version = 9;
	CHECK(!ask(path, &req, NULL, &r));
	CHECK(r.hdr.type == CTL_REPLY_ERR && r.hdr.version == CTL_VERSION);
	CHECK(!strcmp(r.text, "ikectl speaks control protocol version 9, ikedaemon 1: use the ikectl of this ikedaemon"));
	_exit(0);
}

FIXTURE(ctl) {
	char dir[64], path[128];
};

FIXTURE_SETUP(ctl)
{
	strcpy(self->dir, "/tmp/control_test.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->path, sizeof(self->path), "%s/run/ctl.sock",
		 self->dir);
	log_init(1, LOG_CRIT);	/* expected warnings stay quiet */
}

FIXTURE_TEARDOWN(ctl)
{
	char cmd[128];

	control_close();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	if (system(cmd))
		TH_LOG("cleanup of %s failed", self->dir);
}

TEST_F(ctl, requests)
{
	struct stat st;
	char dir[128];
	pid_t pid;

	ASSERT_EQ(0, control_init(self->path));
	ASSERT_LE(0, control_fd());
	ASSERT_EQ(0, stat(self->path, &st));
	EXPECT_EQ(0600, st.st_mode & 0777);
	snprintf(dir, sizeof(dir), "%s/run", self->dir);
	ASSERT_EQ(0, stat(dir, &st));
	EXPECT_EQ(0700, st.st_mode & 0777);

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		client(self->path);
	EXPECT_EQ(0, serve(pid));
}

TEST_F(ctl, one_daemon_per_socket)
{
	pid_t pid;
	int status;

	ASSERT_EQ(0, control_init(self->path));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(control_init(self->path) == -1 ? 0 : 1);
	/* the child's connect() is answered by the backlog, not by us */
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	control_close();
	/* a socket left by a dead daemon is replaced */
	ASSERT_EQ(0, control_init(self->path));
}

TEST_HARNESS_MAIN
