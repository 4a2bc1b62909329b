/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shape of the ikesec attribute tree, as names: which attribute is
 * which, what it nests, and which ikectl keyword sets it. Used to turn a
 * kernel error's attribute offset into something a user can act on.
 */
#ifndef IKECTL_ATTRS_H
#define IKECTL_ATTRS_H

struct attr_space;

struct attr_desc {
	const char *name;		/* the uapi enum name */
	const char *keyword;		/* the ikectl words that set it */
	const struct attr_space *nest;	/* what it contains, if a nest */
};

struct attr_space {
	int max;
	const struct attr_desc *attrs;	/* [0..max] */
};

/* The top level of every ikesec message. */
extern const struct attr_space ikesec_attr_space;

/* NULL if type is unknown (a newer header than ours) or unnamed. */
const struct attr_desc *attr_desc(const struct attr_space *space, int type);

/* "IKESEC_CMD_SA_NEW", or NULL. */
const char *cmd_name(unsigned int cmd);

#endif
