// SPDX-License-Identifier: GPL-2.0
/*
 * Reads the strongswan.conf syntax into a tree:
 *
 *	name {			a section; the brace may follow on a new line
 *		key = value	up to the end of the line, `#' or `}'
 *		key = "a b"	quoted: \" \\ \n \t escapes, may span lines
 *	}
 *	include conf.d/NAME.conf	glob (* ? []), relative to the including file
 *
 * `#' starts a comment outside quotes. Names are letters, digits, `_'
 * and `-'. Everything else is an error quoting the input.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_tree.h"

#define NEST_MAX	16	/* sections within sections */

struct lexer {
	struct cfg_tree *t;
	const char *p, *end;
	const char *file;
	int line;
	int incl_depth;
	int nest;
	char *err;
	size_t errlen;
};

static int parse_items(struct lexer *lx, struct cfg_node *parent,
		       struct cfg_node ***tail, bool top);

static int lx_error(struct lexer *lx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int lx_error(struct lexer *lx, const char *fmt, ...)
{
	int n;
	va_list ap;

	if (!lx->file)
		n = 0;		/* the top file itself: no line to name */
	else
		n = snprintf(lx->err, lx->errlen, "%s:%d: ", lx->file,
			     lx->line);
	if (n < 0 || (size_t)n >= lx->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(lx->err + n, lx->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

/* A printable rendering of the character at p, for error messages. */
static const char *show_char(const char *p, char buf[8])
{
	unsigned char c = *p;

	if (c == '\n')
		return "end of line";
	if (isprint(c)) {
		snprintf(buf, 8, "`%c'", c);
		return buf;
	}
	snprintf(buf, 8, "0x%02x", c);
	return buf;
}

static const char *file_name(struct cfg_tree *t, const char *name)
{
	char **files;
	char *copy;

	files = realloc(t->files, (t->n_files + 1) * sizeof(*files));
	if (!files)
		return NULL;
	t->files = files;
	copy = strdup(name);
	if (!copy)
		return NULL;
	t->files[t->n_files++] = copy;
	return copy;
}

/* Skip blanks, comments and (if nl) newlines. */
static void skip_space(struct lexer *lx, bool nl)
{
	while (lx->p < lx->end) {
		if (*lx->p == '#') {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
		} else if (*lx->p == '\n' && nl) {
			lx->line++;
			lx->p++;
		} else if (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\r') {
			lx->p++;
		} else {
			break;
		}
	}
}

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-';
}

static struct cfg_node *node_new(struct lexer *lx, const char *key,
				 size_t keylen)
{
	struct cfg_node *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->key = strndup(key, keylen);
	if (!n->key) {
		free(n);
		return NULL;
	}
	n->file = lx->file;
	n->line = lx->line;
	return n;
}

static void node_free(struct cfg_node *n)
{
	struct cfg_node *next;

	for (; n; n = next) {
		next = n->next;
		node_free(n->child);
		free(n->key);
		if (n->value) {
			explicit_bzero(n->value, strlen(n->value));
			free(n->value);
		}
		free(n);
	}
}

/* A quoted string starting at the opening quote; into *out (malloc'd). */
static int quoted(struct lexer *lx, char **out)
{
	const char *p = lx->p + 1;
	size_t n = 0;
	char *s;
	int line = lx->line;

	s = malloc(lx->end - p + 1);
	if (!s)
		return lx_error(lx, "out of memory");
	for (; p < lx->end && *p != '"'; p++) {
		if (*p == '\n')
			line++;
		if (*p == '\\' && p + 1 < lx->end) {
			p++;
			switch (*p) {
			case 'n':
				s[n++] = '\n';
				break;
			case 't':
				s[n++] = '\t';
				break;
			case '"':
			case '\\':
				s[n++] = *p;
				break;
			default:
				s[n++] = '\\';
				s[n++] = *p;
			}
			continue;
		}
		s[n++] = *p;
	}
	if (p >= lx->end) {
		explicit_bzero(s, n);
		free(s);
		return lx_error(lx, "unterminated quoted string");
	}
	s[n] = '\0';
	lx->p = p + 1;
	lx->line = line;
	*out = s;
	return 0;
}

/* After `=' or `include': the rest of the line, or a quoted string. */
static int value(struct lexer *lx, char **out)
{
	const char *start, *e;
	char cb[8];

	skip_space(lx, false);
	if (lx->p < lx->end && *lx->p == '"') {
		if (quoted(lx, out))
			return -1;
		skip_space(lx, false);
		if (lx->p < lx->end && *lx->p != '\n' && *lx->p != '}')
			return lx_error(lx, "unexpected %s after quoted string",
					show_char(lx->p, cb));
		return 0;
	}
	start = lx->p;
	while (lx->p < lx->end && *lx->p != '\n' && *lx->p != '#' &&
	       *lx->p != '}')
		lx->p++;
	for (e = lx->p; e > start && (e[-1] == ' ' || e[-1] == '\t' ||
				      e[-1] == '\r'); e--)
		;
	*out = strndup(start, e - start);
	if (!*out)
		return lx_error(lx, "out of memory");
	return 0;
}

static int load_file(struct lexer *parent, struct cfg_node *into,
		     struct cfg_node ***tail, const char *path);

/* include PATTERN: every match in order; a literal path must exist. */
static int include(struct lexer *lx, struct cfg_node *parent,
		   struct cfg_node ***tail)
{
	char *pattern = NULL, *dir = NULL, *full = NULL;
	const char *d;
	glob_t g = { 0 };
	size_t i;
	int ret = -1, r;

	if (lx->t->no_include)
		return lx_error(lx, "include is not allowed here");
	if (lx->incl_depth >= CFG_INCLUDE_DEPTH)
		return lx_error(lx, "includes nested too deep (max %d)",
				CFG_INCLUDE_DEPTH);
	if (value(lx, &pattern))
		return -1;
	if (!*pattern) {
		lx_error(lx, "include: missing file name");
		goto out;
	}
	dir = strdup(lx->file);
	d = dir ? dirname(dir) : NULL;
	if (pattern[0] == '/' || (d && !strcmp(d, ".")))
		full = strdup(pattern);
	else if (d && asprintf(&full, "%s/%s", d, pattern) < 0)
		full = NULL;
	if (!full) {
		lx_error(lx, "out of memory");
		goto out;
	}
	r = glob(full, GLOB_ERR, NULL, &g);
	if (r == GLOB_NOMATCH) {
		/* As strongSwan: a pattern matching nothing is fine. */
		if (strpbrk(pattern, "*?["))
			ret = 0;
		else
			lx_error(lx, "include `%s': %s", pattern,
				 strerror(ENOENT));
		goto out;
	}
	if (r) {
		lx_error(lx, "include `%s': cannot read the directory",
			 pattern);
		goto out;
	}
	for (i = 0; i < g.gl_pathc; i++)
		if (load_file(lx, parent, tail, g.gl_pathv[i]))
			goto out;
	ret = 0;
out:
	globfree(&g);
	free(full);
	free(dir);
	free(pattern);
	return ret;
}

/* name { items }, name = value, include ...; one of them at lx->p. */
static int item(struct lexer *lx, struct cfg_node *parent,
	       struct cfg_node ***tail)
{
	const char *name = lx->p;
	struct cfg_node *n;
	size_t len;
	char cb[8];
	int line = lx->line;

	while (lx->p < lx->end && name_char(*lx->p))
		lx->p++;
	len = lx->p - name;
	if (!len)
		return lx_error(lx, "unexpected %s", show_char(lx->p, cb));
	if (len == 7 && !strncmp(name, "include", 7) && lx->p < lx->end &&
	    (*lx->p == ' ' || *lx->p == '\t'))
		return include(lx, parent, tail);
	skip_space(lx, false);
	if (lx->p < lx->end && *lx->p == '\n')
		skip_space(lx, true);	/* only `{' may follow on a new line */
	if (lx->p >= lx->end || (*lx->p != '=' && *lx->p != '{'))
		return lx_error(lx, "expected `=' or `{' after `%.*s', got %s",
				(int)len, name,
				lx->p < lx->end ? show_char(lx->p, cb) :
				"end of file");
	n = node_new(lx, name, len);
	if (!n)
		return lx_error(lx, "out of memory");
	n->line = line;
	**tail = n;
	*tail = &n->next;
	if (*lx->p == '=') {
		lx->p++;
		return value(lx, &n->value);
	}
	lx->p++;
	if (++lx->nest > NEST_MAX)
		return lx_error(lx, "sections nested too deep (max %d)",
				NEST_MAX);
	{
		struct cfg_node **ctail = &n->child;

		if (parse_items(lx, n, &ctail, false))
			return -1;
	}
	lx->nest--;
	return 0;
}

/* Items until `}' (a section) or the end of the text (top). */
static int parse_items(struct lexer *lx, struct cfg_node *parent,
		       struct cfg_node ***tail, bool top)
{
	int open_line = lx->line;

	for (;;) {
		skip_space(lx, true);
		if (lx->p >= lx->end) {
			if (top)
				return 0;
			return lx_error(lx, "missing `}' for section `%s' opened at line %d",
					parent->key, open_line);
		}
		if (*lx->p == '}') {
			if (top)
				return lx_error(lx, "unexpected `}'");
			lx->p++;
			return 0;
		}
		if (item(lx, parent, tail))
			return -1;
	}
}

static int parse_text(struct lexer *lx, struct cfg_node *into,
		      struct cfg_node ***tail, const char *text, size_t len)
{
	const char *nul = memchr(text, '\0', len), *p;

	if (nul) {
		for (p = text; p < nul; p++)
			lx->line += *p == '\n';
		return lx_error(lx, "NUL byte in the file");
	}
	lx->p = text;
	lx->end = text + len;
	return parse_items(lx, into, tail, true);
}

static int load_file(struct lexer *parent, struct cfg_node *into,
		     struct cfg_node ***tail, const char *path)
{
	struct lexer lx = *parent;
	struct stat st;
	char *text = NULL;
	ssize_t r;
	size_t len = 0;
	int fd, ret = -1;

	lx.incl_depth = parent->incl_depth + 1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st))
		return lx_error(parent, "cannot open `%s': %s", path,
				strerror(errno));
	if (!S_ISREG(st.st_mode)) {
		lx_error(parent, "`%s' is not a regular file", path);
		goto out;
	}
	text = malloc(CFG_FILE_MAX + 1);
	if (!text) {
		lx_error(parent, "out of memory");
		goto out;
	}
	while ((r = read(fd, text + len, CFG_FILE_MAX + 1 - len)) > 0)
		len += r;
	if (r < 0) {
		lx_error(parent, "cannot read `%s': %s", path,
			 strerror(errno));
		goto out;
	}
	if (len > CFG_FILE_MAX) {
		lx_error(parent, "`%s' is larger than %d bytes", path,
			 CFG_FILE_MAX);
		goto out;
	}
	lx.file = file_name(parent->t, path);
	lx.line = 1;
	if (!lx.file) {
		lx_error(parent, "out of memory");
		goto out;
	}
	ret = parse_text(&lx, into, tail, text, len);
out:
	if (text) {
		explicit_bzero(text, len);
		free(text);
	}
	close(fd);
	return ret;
}

int config_tree_load(struct cfg_tree *t, const char *path, char *err,
		     size_t errlen)
{
	struct cfg_node **tail = &t->root.child;
	struct lexer lx = { .t = t, .err = err, .errlen = errlen,
			    .incl_depth = -1 };
	int ret;

	ret = load_file(&lx, &t->root, &tail, path);
	if (ret)
		config_tree_free(t);
	return ret;
}

int config_tree_load_buf(struct cfg_tree *t, const char *name,
			 const char *text, size_t len, char *err,
			 size_t errlen)
{
	struct cfg_node **tail = &t->root.child;
	struct lexer lx = { .t = t, .line = 1, .err = err, .errlen = errlen };
	int ret;

	lx.file = file_name(t, name);
	if (!lx.file) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	ret = parse_text(&lx, &t->root, &tail, text, len);
	if (ret)
		config_tree_free(t);
	return ret;
}

void config_tree_free(struct cfg_tree *t)
{
	int i;

	node_free(t->root.child);
	t->root.child = NULL;
	for (i = 0; i < t->n_files; i++)
		free(t->files[i]);
	free(t->files);
	t->files = NULL;
	t->n_files = 0;
}
