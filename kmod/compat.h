/* SPDX-License-Identifier: GPL-2.0 */
/* What older kernels (Debian 12's 6.1) lack. */
#ifndef _IKESEC_COMPAT_H
#define _IKESEC_COMPAT_H

#include <linux/netlink.h>

#ifndef NL_SET_ERR_MSG_FMT_MOD
/* Before 6.2 an extack cannot hold formatted text. Our genl family is not
 * parallel_ops, so genl_mutex serialises every request and the ack that
 * copies this message: one buffer is enough.
 */
extern char ikesec_extack_buf[160];
#define NL_SET_ERR_MSG_FMT_MOD(extack, fmt, args...) do {		\
	struct netlink_ext_ack *__e = (extack);				\
	if (__e) {							\
		snprintf(ikesec_extack_buf, sizeof(ikesec_extack_buf),	\
			 KBUILD_MODNAME ": " fmt, ##args);		\
		__e->_msg = ikesec_extack_buf;				\
	}								\
} while (0)
#define IKESEC_NEED_EXTACK_BUF 1
#endif

#include <linux/version.h>
#include <linux/slab.h>

/* A slab cache of its own, never merged with another of the same size:
 * /proc/slabinfo then counts only our objects, and kmem_cache_destroy()
 * warns about ours left alive. SLAB_NO_MERGE came in 6.5; before, a
 * usercopy region (over a field with nothing secret in it) keeps a cache
 * out of merging just the same.
 */
#ifdef SLAB_NO_MERGE
#define IKESEC_KMEM_CACHE(name, type, public_field)			\
	kmem_cache_create(name, sizeof(struct type), 0, SLAB_NO_MERGE, NULL)
#else
#define IKESEC_KMEM_CACHE(name, type, public_field)			\
	kmem_cache_create_usercopy(name, sizeof(struct type), 0, 0,	\
				   offsetof(struct type, public_field),	\
				   sizeof_field(struct type, public_field), \
				   NULL)
#endif

/* Crypto completion callbacks get the request's data pointer directly
 * since 6.3; before, its crypto_async_request. IKESEC_ASYNC_DONE(name, fn)
 * defines callback name calling void fn(void *data, int err).
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
#define IKESEC_ASYNC_DONE(name, fn)					\
static void name(struct crypto_async_request *base, int err)		\
{									\
	fn(base->data, err);						\
}
#else
#define IKESEC_ASYNC_DONE(name, fn)					\
static void name(void *data, int err)					\
{									\
	fn(data, err);							\
}
#endif

/* A dummy device to hang NAPI instances on: allocated with
 * alloc_netdev_dummy() since 6.10, which removed init_dummy_netdev().
 */
#include <linux/netdevice.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 10, 0)
static inline struct net_device *ikesec_alloc_netdev_dummy(void)
{
	struct net_device *dev = kzalloc(sizeof(*dev), GFP_KERNEL);

	if (dev)
		init_dummy_netdev(dev);
	return dev;
}

static inline void ikesec_free_netdev_dummy(struct net_device *dev)
{
	kfree(dev);
}
#else
static inline struct net_device *ikesec_alloc_netdev_dummy(void)
{
	return alloc_netdev_dummy(0);
}

static inline void ikesec_free_netdev_dummy(struct net_device *dev)
{
	free_netdev(dev);
}
#endif

#endif
