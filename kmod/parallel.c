// SPDX-License-Identifier: GPL-2.0
/* ESP crypto on every CPU, results in order.
 *
 * One stream's packets are all encrypted on the CPU that sends them and
 * decrypted on the CPU that receives them, so one CPU does all of a
 * stream's crypto while the others idle. WireGuard instead queues its
 * crypto on every CPU and sends the results in order; padata does the
 * same for the kernel's pcrypt, and here for us: the crypto of a packet
 * runs on some CPU, then its completion (output_finish, input_finish) on
 * its SA's home CPU, in submission order. One home per SA while any of its
 * packets are queued: completions queued to two CPUs would race each
 * other, and the replay window would drop what came in late. An SA with
 * nothing queued takes the submitting CPU as its new home, so a CPU held
 * up by other work (tcrypt's speed test holds one for seconds without
 * yielding) keeps an SA waiting only until its queue drains, instead of
 * for as long as the hold lasts. Two queues: encryption is never held up
 * behind a decryption.
 *
 * Small packets (ACKs, pings, VoIP) stay inline: the queue costs two
 * workqueue hops, a latency a 64-byte packet does not win back. They go
 * through the queue only while packets of their SA are in it, so that
 * they cannot overtake them.
 */
#include <linux/cpumask.h>
#include <linux/moduleparam.h>

#include "compat.h"
#include "netns.h"
#include "parallel.h"
#include "sa.h"

#define PAR_MIN_LEN	256	/* bytes; below, crypto is cheaper than a hop */

enum { PAR_OFF, PAR_AUTO, PAR_ALWAYS };

static unsigned int parallel_crypto = PAR_AUTO;

static int parallel_crypto_set(const char *val, const struct kernel_param *kp)
{
	unsigned int v;
	int err = kstrtouint(val, 0, &v);

	if (err)
		return err;
	if (v > PAR_ALWAYS)
		return -ERANGE;
	WRITE_ONCE(parallel_crypto, v);
	return 0;
}

static const struct kernel_param_ops parallel_crypto_ops = {
	.set = parallel_crypto_set,
	.get = param_get_uint,
};

module_param_cb(parallel_crypto, &parallel_crypto_ops, &parallel_crypto,
		0644);
MODULE_PARM_DESC(parallel_crypto,
		 "ESP crypto on all CPUs: 0 never, 1 packets of 256 bytes and more when several CPUs are online (default), 2 every packet, even on one CPU");

static struct padata_instance *par_inst;
static struct padata_shell *par_enc, *par_dec;

static void par_crypto_done(void *data, int err)
{
	struct ikesec_par *p = data;

	p->err = err;
	padata_do_serial(&p->padata);
}

IKESEC_ASYNC_DONE(par_async_done, par_crypto_done);

/* Some CPU, bottom halves off. */
static void par_parallel(struct padata_priv *padata)
{
	struct ikesec_par *p = container_of(padata, struct ikesec_par, padata);
	int err;

	aead_request_set_callback(p->req, 0, par_async_done, p);
	err = p->encrypt ? crypto_aead_encrypt(p->req) :
			   crypto_aead_decrypt(p->req);
	if (err == -EINPROGRESS)
		return;
	par_crypto_done(p, err);
}

/* The SA's home CPU, bottom halves off, in submission order. */
static void par_serial(struct padata_priv *padata)
{
	struct ikesec_par *p = container_of(padata, struct ikesec_par, padata);

	ikesec_net_stat_add(p->sa->in, p->encrypt ? IKESEC_STAT_OUT_PARALLEL :
			    IKESEC_STAT_IN_PARALLEL, 1);
	/* finish() may drop the last reference on the SA. */
	atomic_dec(&p->sa->par_inflight);
	p->finish(p->skb, p->err);
}

bool ikesec_par_submit(struct ikesec_par *p, struct ikesec_sa *sa,
		       struct aead_request *req, bool encrypt,
		       unsigned int len, struct sk_buff *skb,
		       void (*finish)(struct sk_buff *skb, int err))
{
	unsigned int mode = READ_ONCE(parallel_crypto);
	int cpu;

	if (mode == PAR_OFF)
		return false;
	if (mode == PAR_AUTO &&
	    (num_online_cpus() < 2 ||
	     (len < PAR_MIN_LEN && !atomic_read(&sa->par_inflight))))
		return false;

	p->padata.parallel = par_parallel;
	p->padata.serial = par_serial;
	p->req = req;
	p->skb = skb;
	p->sa = sa;
	p->finish = finish;
	p->encrypt = encrypt;
	/* Nothing of sa queued: its next completions may as well run here,
	 * on a CPU that is running us, not on one that may be held up.
	 */
	if (!atomic_read(&sa->par_inflight))
		WRITE_ONCE(sa->par_cpu, raw_smp_processor_id());
	atomic_inc(&sa->par_inflight);
	cpu = READ_ONCE(sa->par_cpu);
	/* Once queued, p and sa may be gone by the time this returns. */
	if (!padata_do_parallel(encrypt ? par_enc : par_dec, &p->padata, &cpu))
		return true;
	atomic_dec(&sa->par_inflight);	/* CPU hotplug under way */
	return false;
}

int ikesec_par_init(void)
{
	par_inst = padata_alloc("ikesec");
	if (!par_inst)
		return -ENOMEM;
	par_enc = padata_alloc_shell(par_inst);
	if (!par_enc)
		goto free_inst;
	par_dec = padata_alloc_shell(par_inst);
	if (!par_dec)
		goto free_enc;
	return 0;

free_enc:
	padata_free_shell(par_enc);
free_inst:
	padata_free(par_inst);
	return -ENOMEM;
}

/* After every namespace is gone: nothing is queued any more. Freeing the
 * instance drains its workqueues, so no serial worker is still returning
 * from our callbacks when the module's text goes.
 */
void ikesec_par_uninit(void)
{
	padata_free_shell(par_dec);
	padata_free_shell(par_enc);
	padata_free(par_inst);
}
