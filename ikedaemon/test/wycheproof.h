/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Just enough JSON for Wycheproof test vector files: iterate over the test
 * objects (each has "tcId" and string fields; no nested objects) and pull
 * hex strings out by key. The files come from ../shared/vectors, which a
 * fresh clone does not have: callers skip when wp_open() fails.
 */
#ifndef IKEDAEMON_TEST_WYCHEPROOF_H
#define IKEDAEMON_TEST_WYCHEPROOF_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WP_DIR_DEFAULT	"../../../shared/vectors/wycheproof"

struct wp {
	char *text;
	const char *pos;
	const char *obj, *end;	/* current test object */
	int tcid;
};

static inline int wp_open(struct wp *w, const char *file)
{
	const char *dir = getenv("WYCHEPROOF_DIR");
	char path[512];
	FILE *f;
	long n;

	memset(w, 0, sizeof(*w));
	snprintf(path, sizeof(path), "%s/%s", dir ? dir : WP_DIR_DEFAULT,
		 file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	w->text = calloc(1, (size_t)n + 1);
	if (!w->text || fread(w->text, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(w->text);
		return -1;
	}
	fclose(f);
	w->pos = w->text;
	return 0;
}

static inline void wp_close(struct wp *w)
{
	free(w->text);
}

/* Advance to the next test object; 0 at the end. */
static inline int wp_next(struct wp *w)
{
	const char *p = strstr(w->pos, "\"tcId\"");

	if (!p)
		return 0;
	w->obj = p;
	w->end = strchr(p, '}');
	if (!w->end)
		return 0;
	w->tcid = atoi(strchr(p, ':') + 1);
	w->pos = w->end;
	return 1;
}

/* The string value of key in the current object, into out (NUL-ended). */
static inline int wp_str(const struct wp *w, const char *key, char *out,
			 size_t size)
{
	char pat[64];
	const char *p, *q;

	snprintf(pat, sizeof(pat), "\"%s\"", key);
	p = strstr(w->obj, pat);
	if (!p || p > w->end)
		return -1;
	p = strchr(p + strlen(pat), '"');
	if (!p || p > w->end)
		return -1;
	q = strchr(p + 1, '"');
	if (!q || (size_t)(q - p - 1) >= size)
		return -1;
	memcpy(out, p + 1, (size_t)(q - p - 1));
	out[q - p - 1] = '\0';
	return 0;
}

/* Hex field -> bytes; returns the length or -1. */
static inline int wp_hex(const struct wp *w, const char *key, uint8_t *out,
			 size_t size)
{
	char s[4096];
	size_t i, n;

	if (wp_str(w, key, s, sizeof(s)))
		return -1;
	n = strlen(s);
	if (n % 2 || n / 2 > size)
		return -1;
	for (i = 0; i < n / 2; i++) {
		unsigned int v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (uint8_t)v;
	}
	return (int)(n / 2);
}

#endif
