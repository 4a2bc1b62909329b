/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Startup self-test of the transforms (crypto_selftest.c): NULL when all
 * pass, else the name of the first that failed.
 */
#ifndef IKEDAEMON_CRYPTO_SELFTEST_H
#define IKEDAEMON_CRYPTO_SELFTEST_H

const char *crypto_selftest(void);

#endif
