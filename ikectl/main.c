// SPDX-License-Identifier: GPL-2.0
/*
 * ikectl: configure the ikesec kernel module by hand. This file is the
 * dispatcher: global options, then a walk down the command tables, whose
 * names, descriptions and syntax also make up the usage text.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../ikedaemon/ctlproto.h"
#include "cmd.h"
#include "print.h"

static int cmd_help(int argc, char **argv);

static const struct command commands[] = {
	{ .name = "sa", .sub = sa_commands, .notes = sa_notes,
	  .description = "manage security associations (the SAD)" },
	{ .name = "policy", .sub = policy_commands, .notes = policy_notes,
	  .description = "manage security policies (the SPD)" },
	{ .name = "stats", .handler = cmd_stats,
	  .description = "print the counters of this network namespace" },
	{ .name = "up", .handler = cmd_up, .syntax = "NAME",
	  .description = "ikedaemon: initiate connection NAME" },
	{ .name = "down", .handler = cmd_down, .syntax = "NAME",
	  .description = "ikedaemon: close connection NAME's SAs" },
	{ .name = "rekey", .handler = cmd_rekey, .syntax = "[--ike] NAME",
	  .description = "ikedaemon: rekey NAME's CHILD SA (or IKE SA) now" },
	{ .name = "status", .handler = cmd_status, .syntax = "[NAME]",
	  .description = "ikedaemon: the IKE and CHILD SAs, or NAME's" },
	{ .name = "show", .sub = show_commands,
	  .description = "ikedaemon: the loaded configuration" },
	{ .name = "reload", .handler = cmd_reload,
	  .description = "ikedaemon: re-read the configuration" },
	{ .name = "log", .handler = cmd_log, .syntax = "LEVEL",
	  .description = "ikedaemon: set the log level (debug, info, ... or 0..7)" },
	{ .name = "last-error", .handler = cmd_last_error, .syntax = "NAME",
	  .description = "ikedaemon: why NAME last failed" },
	{ .name = "version", .handler = cmd_version,
	  .description = "print the versions of ikectl and of the module's netlink interface" },
	{ .name = "help", .handler = cmd_help,
	  .description = "print this help" },
	{ .name = NULL }
};

static const char global_usage[] =
	"Usage: ikectl [-j|--json] COMMAND [ARGUMENTS]\n"
	"\n"
	"  -j, --json   print `show' and `stats' output as JSON\n"
	"  -b, --batch FILE  run the commands in FILE (`-': stdin), one a\n"
	"               line, stopping at the first that fails\n"
	"  -s, --socket PATH  ikedaemon's control socket (default\n"
	"               " CTL_SOCK_PATH ")\n"
	"  -h, --help   print this help\n";

int usage_error(const char *op, const char *fmt, ...)
{
	size_t group = strcspn(op, " ");
	va_list ap;

	fprintf(stderr, "ikectl: %s: ", op);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	/* "sa add" has `ikectl sa help'; "stats" only `ikectl help'. */
	if (op[group])
		fprintf(stderr, "\n(see `ikectl %.*s help')\n", (int)group, op);
	else
		fprintf(stderr, "\n(see `ikectl help')\n");
	return IK_EXIT_USAGE;
}

/* Every leaf below tbl as "ikectl <prefix> <name> <syntax>". */
static void print_syntax(FILE *f, const char *prefix,
			 const struct command *tbl)
{
	const struct command *c;

	for (c = tbl; c->name; c++)
		if (c->handler)
			fprintf(f, "  ikectl %s%s%s%s%s\n", prefix,
				*prefix ? " " : "", c->name,
				c->syntax && *c->syntax ? " " : "",
				c->syntax ? c->syntax : "");
	fprintf(f, "  ikectl %s%shelp\n", prefix, *prefix ? " " : "");
}

/*
 * Usage of a group: its commands, then each leaf's syntax and notes; at the
 * top, brief leaves out the syntax.
 */
static void print_usage(FILE *f, const char *prefix, const struct command *tbl,
			const char *notes, bool brief)
{
	const struct command *c;

	if (!*prefix)
		fputs(global_usage, f);
	else
		fprintf(f, "Usage: ikectl [-j] %s COMMAND [ARGUMENTS]\n",
			prefix);
	fprintf(f, "\nCommands:\n");
	for (c = tbl; c->name; c++)
		fprintf(f, "  %-10s %s\n", c->name, c->description);
	if (*prefix) {
		fprintf(f, "\nSyntax:\n");
		print_syntax(f, prefix, tbl);
		if (notes)
			fprintf(f, "\n%s", notes);
		return;
	}
	if (brief) {
		fprintf(f, "\n(`ikectl help' prints the syntax of every command)\n");
		return;
	}
	for (c = tbl; c->name; c++) {
		if (!c->sub)
			continue;
		fprintf(f, "\n`%s' syntax:\n", c->name);
		print_syntax(f, c->name, c->sub);
		if (c->notes)
			fprintf(f, "\n%s", c->notes);
	}
	fprintf(f, "\n`stats', `version' and `help' take no arguments.\n");
}

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	print_usage(stdout, "", commands, NULL, false);
	return IK_EXIT_OK;
}

static bool is_help(const char *s)
{
	return !strcmp(s, "help") || !strcmp(s, "--help") || !strcmp(s, "-h");
}

/* argv[0] names the group (prefix); argv[1] picks from tbl. */
static int dispatch(const char *prefix, const struct command *tbl,
		    const char *notes, int argc, char **argv)
{
	const struct command *c;

	if (argc < 2) {
		print_usage(stderr, prefix, tbl, notes, true);
		return IK_EXIT_USAGE;
	}
	if (*prefix && is_help(argv[1])) {
		print_usage(stdout, prefix, tbl, notes, false);
		return IK_EXIT_OK;
	}
	for (c = tbl; c->name; c++) {
		if (strcmp(c->name, argv[1]))
			continue;
		if (c->sub)
			return dispatch(c->name, c->sub, c->notes, argc - 1,
					argv + 1);
		return c->handler(argc - 1, argv + 1);
	}
	fprintf(stderr, "ikectl: unknown command `%s%s%s'\n(see `ikectl %s%shelp')\n",
		prefix, *prefix ? " " : "", argv[1], prefix,
		*prefix ? " " : "");
	return IK_EXIT_USAGE;
}

#define BATCH_MAX_ARGS	64

/*
 * Many commands for one exec (thousands of SAs in a test or benchmark):
 * each line is split on blanks, like a shell without quoting; empty lines
 * and lines starting with `#' are skipped.
 */
static int batch(const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *line = NULL, *argv[BATCH_MAX_ARGS + 1];
	int ret = IK_EXIT_OK, argc;
	unsigned int lineno = 0;
	size_t cap = 0;

	if (!f) {
		fprintf(stderr, "ikectl: -b: cannot open `%s': %s\n", path,
			strerror(errno));
		return IK_EXIT_USAGE;
	}
	while (ret == IK_EXIT_OK && getline(&line, &cap, f) > 0) {
		lineno++;
		argv[0] = "ikectl";
		argc = 1;
		for (char *w = strtok(line, " \t\n"); w;
		     w = strtok(NULL, " \t\n")) {
			if (argc == BATCH_MAX_ARGS) {
				fprintf(stderr, "ikectl: %s:%u: more than %d words\n",
					path, lineno, BATCH_MAX_ARGS - 1);
				ret = IK_EXIT_USAGE;
				goto out;
			}
			argv[argc++] = w;
		}
		argv[argc] = NULL;
		if (argc == 1 || argv[1][0] == '#')
			continue;
		ret = dispatch("", commands, NULL, argc, argv);
		if (ret != IK_EXIT_OK)
			fprintf(stderr, "ikectl: %s:%u: command failed\n", path,
				lineno);
	}
out:
	free(line);
	if (f != stdin)
		fclose(f);
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "socket", required_argument, NULL, 's' },
		{ "batch", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 }
	};
	const char *batch_path = NULL;
	int opt;

	/* "+": options end at the command, whose own words may start with -. */
	while ((opt = getopt_long(argc, argv, "+jhs:b:", options, NULL)) != -1) {
		switch (opt) {
		case 'j':
			pr_json = true;
			break;
		case 's':
			daemon_socket = optarg;
			break;
		case 'b':
			batch_path = optarg;
			break;
		case 'h':
			print_usage(stdout, "", commands, NULL, false);
			return IK_EXIT_OK;
		default:
			fprintf(stderr, "(see `ikectl help')\n");
			return IK_EXIT_USAGE;
		}
	}
	if (batch_path) {
		if (optind < argc)
			return usage_error("-b", "takes no command after FILE");
		return batch(batch_path);
	}
	/* dispatch() wants the word before the command in argv[0]. */
	return dispatch("", commands, NULL, argc - optind + 1,
			argv + optind - 1);
}
