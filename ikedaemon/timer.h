/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One-shot timers on the main loop's clock (CLOCK_MONOTONIC, ms). A timer
 * is embedded in its owner; timer_del() before freeing the owner.
 */
#ifndef IKEDAEMON_TIMER_H
#define IKEDAEMON_TIMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct timer {
	uint64_t tmr_when;		/* ms, monotonic */
	uint64_t tmr_seq;		/* arming order, among equal tmr_when */
	size_t tmr_idx;			/* in timer.c's heap, while armed */
	void (*tmr_cb)(void *arg);
	void *tmr_arg;
	bool tmr_armed;
};

uint64_t timer_now(void);
/* The main loop's clock for one event: timer_hold() reads the clock and
 * timer_now() returns that reading until the next timer_hold() or
 * timer_release() (before the loop waits); without a hold each
 * timer_now() reads the clock.
 */
void timer_hold(void);
void timer_release(void);
void timer_set(struct timer *t, void (*cb)(void *), void *arg);
void timer_add(struct timer *t, uint64_t ms);	/* (re)arm, ms from now */
void timer_del(struct timer *t);
/* ms until the next timer (for poll()), -1 if none. */
int timer_next(void);
/* Run every timer that is due. */
void timer_run(void);

#endif
