// SPDX-License-Identifier: GPL-2.0
/* The genl family as userspace sees it: resolvable through libnl, refused
 * without CAP_NET_ADMIN in the caller's namespace, state per namespace,
 * malformed requests refused with an extack message.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ikesec_nl.h"

FIXTURE(nl) {
	struct ik_nl nl;
};

FIXTURE_SETUP(nl)
{
	int err;

	/* A private netns per test: nothing leaks between tests. */
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	err = ik_open(&self->nl);
	if (err == -ENOENT)
		SKIP(return, "ikesec module not loaded");
	ASSERT_EQ(0, err);
}

FIXTURE_TEARDOWN(nl)
{
	ik_close(&self->nl);
}

TEST_F(nl, get_info_reports_version)
{
	ASSERT_EQ(0, ik_get_info(&self->nl));
	EXPECT_EQ((uint32_t)IKESEC_GENL_VERSION, self->nl.version);
	EXPECT_EQ(0U, self->nl.sa_count);
}

/* Runs fn in a child; returns its exit status. */
static int in_child(int (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn());
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 255;
}

static int info_as_nobody(void)
{
	struct ik_nl nl;

	if (setgid(65534) || setuid(65534))
		return 100;
	if (ik_open(&nl))
		return 101;
	return ik_get_info(&nl) == -EPERM ? 0 : 1;
}

TEST_F(nl, refused_without_cap_net_admin)
{
	EXPECT_EQ(0, in_child(info_as_nobody));
}

/* Admin of a user namespace, but not of the netns we are in. */
static int info_from_userns(void)
{
	struct ik_nl nl;

	if (setgid(65534) || setuid(65534))
		return 100;
	if (unshare(CLONE_NEWUSER))
		return 4;	/* unprivileged user namespaces disabled */
	if (ik_open(&nl))
		return 101;
	if (ik_get_info(&nl) != -EPERM)
		return 1;
	ik_close(&nl);
	/* Our own netns, owned by our userns: now we are its admin. */
	if (unshare(CLONE_NEWNET))
		return 102;
	if (ik_open(&nl))
		return 103;
	return ik_get_info(&nl) == 0 ? 0 : 2;
}

TEST_F(nl, cap_checked_in_callers_user_namespace)
{
	int rc = in_child(info_from_userns);

	if (rc == 4)
		SKIP(return, "unprivileged user namespaces disabled");
	EXPECT_EQ(0, rc);
}

static int count_in_new_netns(void)
{
	struct ik_nl nl;

	if (unshare(CLONE_NEWNET) || ik_open(&nl))
		return 100;
	if (ik_count_sas(&nl) || nl.sa_count != 0)
		return 1;
	/* The same SPI is free here. */
	if (ik_sa_add(&nl, 0x1000))
		return 2;
	if (ik_count_sas(&nl) || nl.sa_count != 1)
		return 3;
	return 0;
}

TEST_F(nl, state_is_per_network_namespace)
{
	ASSERT_EQ(0, ik_sa_add(&self->nl, 0x1000));
	ASSERT_EQ(0, ik_sa_add(&self->nl, 0x1001));
	EXPECT_EQ(0, in_child(count_in_new_netns));
	ASSERT_EQ(0, ik_count_sas(&self->nl));
	EXPECT_EQ(2U, self->nl.sa_count);
	ASSERT_EQ(0, ik_get_info(&self->nl));
	EXPECT_EQ(2U, self->nl.sa_count);
}

TEST_F(nl, duplicate_spi_refused_with_message)
{
	ASSERT_EQ(0, ik_sa_add(&self->nl, 0x2000));
	EXPECT_EQ(-EEXIST, ik_sa_add(&self->nl, 0x2000));
	EXPECT_NE(NULL, strstr(self->nl.extack, "0x00002000"));
	TH_LOG("extack: %s", self->nl.extack);
}

TEST_F(nl, missing_attribute_refused_with_message)
{
	struct nl_msg *msg = ik_msg(&self->nl, IKESEC_CMD_SA_NEW, NLM_F_ACK);
	struct nlattr *sa = nla_nest_start(msg, IKESEC_A_SA);

	nla_put_u8(msg, IKESEC_SA_A_DIR, IKESEC_DIR_IN);
	nla_nest_end(msg, sa);
	EXPECT_EQ(-EINVAL, ik_send(&self->nl, msg));
	EXPECT_NE(NULL, strstr(self->nl.extack, "SPI"));
	TH_LOG("extack: %s", self->nl.extack);
	ASSERT_EQ(0, ik_count_sas(&self->nl));
	EXPECT_EQ(0U, self->nl.sa_count);
}

TEST_F(nl, bad_key_length_refused_with_message)
{
	struct nl_msg *msg = ik_sa_msg(&self->nl, IKESEC_CMD_SA_NEW, 0x3000, 17);

	EXPECT_EQ(-EINVAL, ik_send(&self->nl, msg));
	EXPECT_NE(NULL, strstr(self->nl.extack, "20 or 36"));
	TH_LOG("extack: %s", self->nl.extack);
}

TEST_HARNESS_MAIN
