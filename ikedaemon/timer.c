// SPDX-License-Identifier: GPL-2.0
/* Timers: a list sorted by expiry; few timers (a handful per IKE SA). */
#include <stddef.h>
#include <time.h>

#include "timer.h"

static struct timer *timers;

uint64_t timer_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void timer_set(struct timer *t, void (*cb)(void *), void *arg)
{
	t->tmr_next = NULL;
	t->tmr_cb = cb;
	t->tmr_arg = arg;
	t->tmr_armed = false;
}

void timer_del(struct timer *t)
{
	struct timer **pp;

	if (!t->tmr_armed)
		return;
	for (pp = &timers; *pp; pp = &(*pp)->tmr_next)
		if (*pp == t) {
			*pp = t->tmr_next;
			break;
		}
	t->tmr_armed = false;
}

void timer_add(struct timer *t, uint64_t ms)
{
	struct timer **pp;

	timer_del(t);
	t->tmr_when = timer_now() + ms;
	for (pp = &timers; *pp && (*pp)->tmr_when <= t->tmr_when;
	     pp = &(*pp)->tmr_next)
		;
	t->tmr_next = *pp;
	*pp = t;
	t->tmr_armed = true;
}

int timer_next(void)
{
	uint64_t now;

	if (!timers)
		return -1;
	now = timer_now();
	if (timers->tmr_when <= now)
		return 0;
	return (int)(timers->tmr_when - now);
}

void timer_run(void)
{
	uint64_t now = timer_now();
	struct timer *t;

	while (timers && timers->tmr_when <= now) {
		t = timers;
		timers = t->tmr_next;
		t->tmr_armed = false;
		t->tmr_cb(t->tmr_arg);	/* may re-arm or free t */
	}
}
