/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IKESEC_NETLINK_H
#define _IKESEC_NETLINK_H

int ikesec_netlink_init(void);
void ikesec_netlink_uninit(void);

#endif
