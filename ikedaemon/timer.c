// SPDX-License-Identifier: GPL-2.0
/*
 * Timers: a binary min-heap on (expiry, arming order), each timer knowing
 * its slot. Arming and removal are O(log n) however many IKE SAs there
 * are (the sorted list before cost every handshake a walk over all
 * timers); timers due at the same ms run in the order they were armed.
 */
#include <stdlib.h>
#include <time.h>

#include "log.h"
#include "timer.h"

static struct timer **heap;
static size_t n_heap, cap_heap;
static uint64_t seq;
static uint64_t held;		/* ms, timer_hold(); 0: read the clock */

static uint64_t clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * One clock reading per event: a handshake arms several timers, and
 * where the clocksource has no vDSO path (HPET or ACPI PM in many VMs)
 * each reading is a system call and a device access.
 */
void timer_hold(void)
{
	held = clock_ms();
	if (!held)
		held = 1;
}

void timer_release(void)
{
	held = 0;
}

uint64_t timer_now(void)
{
	return held ? held : clock_ms();
}

void timer_set(struct timer *t, void (*cb)(void *), void *arg)
{
	t->tmr_cb = cb;
	t->tmr_arg = arg;
	t->tmr_armed = false;
}

static bool before(const struct timer *a, const struct timer *b)
{
	return a->tmr_when < b->tmr_when ||
	       (a->tmr_when == b->tmr_when && a->tmr_seq < b->tmr_seq);
}

static void place(struct timer *t, size_t i)
{
	heap[i] = t;
	t->tmr_idx = i;
}

static void sift_up(size_t i)
{
	struct timer *t = heap[i];

	while (i && before(t, heap[(i - 1) / 2])) {
		place(heap[(i - 1) / 2], i);
		i = (i - 1) / 2;
	}
	place(t, i);
}

static void sift_down(size_t i)
{
	struct timer *t = heap[i];
	size_t c;

	while ((c = 2 * i + 1) < n_heap) {
		if (c + 1 < n_heap && before(heap[c + 1], heap[c]))
			c++;
		if (!before(heap[c], t))
			break;
		place(heap[c], i);
		i = c;
	}
	place(t, i);
}

void timer_del(struct timer *t)
{
	size_t i = t->tmr_idx;
	struct timer *last;

	if (!t->tmr_armed)
		return;
	t->tmr_armed = false;
	if (--n_heap == i)
		return;
	last = heap[n_heap];	/* fills the hole: down or up from there */
	place(last, i);
	sift_down(i);
	sift_up(last->tmr_idx);
}

void timer_add(struct timer *t, uint64_t ms)
{
	struct timer **h;
	size_t cap;

	timer_del(t);
	if (n_heap == cap_heap) {
		cap = cap_heap ? 2 * cap_heap : 64;
		h = realloc(heap, cap * sizeof(*h));
		if (!h)
			fatalx("timer_add: out of memory for %zu timers", cap);
		heap = h;
		cap_heap = cap;
	}
	t->tmr_when = timer_now() + ms;
	t->tmr_seq = seq++;
	t->tmr_armed = true;
	place(t, n_heap++);
	sift_up(t->tmr_idx);
}

int timer_next(void)
{
	uint64_t now;

	if (!n_heap)
		return -1;
	now = timer_now();
	if (heap[0]->tmr_when <= now)
		return 0;
	return (int)(heap[0]->tmr_when - now);
}

void timer_run(void)
{
	uint64_t now = timer_now();
	struct timer *t;

	while (n_heap && heap[0]->tmr_when <= now) {
		t = heap[0];
		timer_del(t);
		t->tmr_cb(t->tmr_arg);	/* may re-arm or free t */
	}
}
