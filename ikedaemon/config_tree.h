/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The strongswan.conf-style syntax swanctl.conf uses, as a tree: sections
 * (`name { ... }') holding settings (`key = value') and sections. Include
 * statements are expanded where they appear. No meaning is given here;
 * config.c walks the tree.
 */
#ifndef IKEDAEMON_CONFIG_TREE_H
#define IKEDAEMON_CONFIG_TREE_H

#include <stdbool.h>
#include <stddef.h>

struct cfg_node {
	char *key;
	char *value;			/* NULL for a section */
	struct cfg_node *child;		/* a section's first member */
	struct cfg_node *next;
	const char *file;		/* owned by the tree's file list */
	int line;
};

struct cfg_tree {
	struct cfg_node root;		/* a section without a key */
	char **files;			/* every file read, for node->file */
	int n_files;
	bool no_include;		/* refuse include (the fuzzer) */
};

#define CFG_FILE_MAX		(1024 * 1024)	/* bytes per file */
#define CFG_INCLUDE_DEPTH	8

/* Parse path, or text[len] named name. -1 with "FILE:LINE: msg" in err. */
int config_tree_load(struct cfg_tree *t, const char *path, char *err,
		     size_t errlen);
int config_tree_load_buf(struct cfg_tree *t, const char *name,
			 const char *text, size_t len, char *err,
			 size_t errlen);
void config_tree_free(struct cfg_tree *t);	/* wipes values */

#endif
