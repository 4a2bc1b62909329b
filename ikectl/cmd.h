/* SPDX-License-Identifier: GPL-2.0 */
/* The command tables main.c dispatches on and builds the usage from. */
#ifndef IKECTL_CMD_H
#define IKECTL_CMD_H

#define IKECTL_VERSION	"0.1.0"

/* Exit statuses. */
#define IK_EXIT_OK	0
#define IK_EXIT_FAIL	1	/* the kernel or netlink said no */
#define IK_EXIT_USAGE	2	/* the command line is wrong */

struct command {
	const char *name;
	/* argv[0] is name; returns an IK_EXIT_* status. */
	int (*handler)(int argc, char **argv);
	const char *description;
	const char *syntax;		/* the words after name, for usage */
	const struct command *sub;	/* a group: NULL-terminated table */
	const char *notes;		/* a group: printed after its syntax */
};

extern const struct command sa_commands[];
extern const struct command policy_commands[];
extern const char sa_notes[];
extern const char policy_notes[];

int cmd_stats(int argc, char **argv);
int cmd_version(int argc, char **argv);

/* cmd_daemon.c: requests to ikedaemon over daemon_socket (-s). */
extern const char *daemon_socket;
extern const struct command show_commands[];
int cmd_up(int argc, char **argv);
int cmd_down(int argc, char **argv);
int cmd_rekey(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_reload(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_last_error(int argc, char **argv);

/* "ikectl: <op>: <message>", a pointer to help; returns IK_EXIT_USAGE. */
int usage_error(const char *op, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
