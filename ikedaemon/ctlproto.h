/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control protocol between ikectl and ikedaemon, over a UNIX stream
 * socket (default CTL_SOCK_PATH: mode 0600 in a 0700 directory; the
 * daemon also refuses peers whose SO_PEERCRED uid is neither 0 nor its
 * own). One request per connection:
 *
 *   ikectl -> ikedaemon   struct ctl_hdr, then hdr.len bytes of argument
 *   ikedaemon -> ikectl   struct ctl_hdr (type CTL_REPLY_OK/ERR), then
 *                         hdr.len bytes of text (no NUL) to print as is
 *
 * then the daemon closes. Both ends are on one host: host byte order.
 *
 * Requests (argument = NUL-terminated string, hdr.len counts the NUL):
 *   CTL_UP         conn name          initiate the connection's children
 *   CTL_DOWN       conn name          delete its IKE SA (and CHILD SAs)
 *   CTL_STATUS     conn name or none  SAs, their state and counters
 *   CTL_SHOW_CONNS none               the loaded configuration
 *   CTL_RELOAD     none               re-read the configuration file
 *   CTL_LOG_LEVEL  "0".."7"           syslog level (7 = debug)
 *   CTL_LAST_ERROR conn name          why the last attempt failed
 *   CTL_REKEY_CHILD conn name         rekey its CHILD SA now
 *   CTL_REKEY_IKE  conn name          rekey its IKE SA now
 *
 * With CTL_F_JSON in the request the reply text is one JSON document
 * (for STATUS and SHOW_CONNS; other replies stay text). A CTL_REPLY_ERR
 * text is a one-line message. A request with another version is answered
 * CTL_REPLY_ERR naming both versions.
 */
#ifndef IKEDAEMON_CTLPROTO_H
#define IKEDAEMON_CTLPROTO_H

#include <stdint.h>

#define CTL_SOCK_PATH	"/run/ikesec/ikedaemon.sock"
#define CTL_VERSION	1
#define CTL_ARG_MAX	256		/* request payload, bytes */
#define CTL_REPLY_MAX	(4 << 20)	/* reply payload, bytes */
#define CTL_TIMEOUT_MS	2000		/* per request, each side */

struct ctl_hdr {
	uint32_t len;		/* payload bytes after the header */
	uint16_t type;		/* enum ctl_type */
	uint8_t version;	/* CTL_VERSION */
	uint8_t flags;		/* CTL_F_* */
};

enum ctl_type {
	CTL_UP = 1,
	CTL_DOWN,
	CTL_STATUS,
	CTL_SHOW_CONNS,
	CTL_RELOAD,
	CTL_LOG_LEVEL,
	CTL_LAST_ERROR,
	CTL_REKEY_CHILD,
	CTL_REKEY_IKE,

	CTL_REPLY_OK = 0x100,
	CTL_REPLY_ERR,
};

#define CTL_F_JSON	0x01
#define CTL_F_ALL	CTL_F_JSON

#endif
