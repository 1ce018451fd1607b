// SPDX-License-Identifier: MIT
/*
 * Reading a whole log file in two threads (ii_logsrc_read_all): a reader
 * thread reads chunks and cuts them into records (the kmsg header and
 * escapes, or the text line's time and level, parsed in place), while the
 * calling thread hands them to the callback in order. For `faults` on a
 * large file, that is where half of the work is.
 *
 * The two share only a ring of batches: a buffer of bytes, and the records
 * that point into it. The reader fills a free batch and passes it on; the
 * caller runs the callback on its records and gives it back. A reader that
 * found the ring full sleeps until REFILL batches are free, and each side
 * wakes the other only when it sleeps: a wakeup costs the waker a system
 * call and an interrupt to the other core, far more than a batch's locking.
 * The bytes after
 * the last whole record of a batch (a record cut by the chunk's end) are
 * carried into the next one. Only the reader touches the ii_logsrc while
 * the threads run; the caller sees its counts after joining it.
 *
 * Used only for regular files the user names: reading them never blocks for
 * long, so stopping early (fn returns nonzero) waits for one chunk at most,
 * and they are not under the root, whose recorder (`snapshot`) is not meant
 * for two threads.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "logsrc.h"
#include "ntstore.h"

/*
 * Three batches: the caller's, the one being filled, and one between. The
 * fewer, the sooner the memory comes round, still in the caches. On the
 * faults benchmark (median of 21 interleaved runs) eight took 0.089 s, four
 * 0.083, three 0.081, two 0.082.
 */
#define NBATCH 3
#define REFILL 2 /* free batches that wake a reader that found the ring full */
#define PRE_CHUNK 32 /* records parsed ahead per claim */
#define PRE_ARENA (256 * 1024) /* room for what a batch's records gave (ls->pre) */
#define PRE_ALL (1u << 30) /* a claim the caller made: what the reader had not claimed is its */

/* Each on cache lines of its own: the reader fills one while the caller reads another. */
struct batch {
	_Alignas(64) struct strbuf buf;       /* the bytes the records point into */
	struct ii_kmsg *kmsgs;   /* kmsg records: what their ii_logrec is made from (smaller) */
	struct ii_textslot *recs; /* text lines: what their ii_logrec is made from (smaller) */
	size_t nrecs, cap;
	int err;                 /* -errno of a read after these records */
	bool last;
	/*
	 * Work ahead (ls->pre): chunks of PRE_CHUNK records, claimed in order
	 * by the reader (claim, one at a time) until the caller takes the rest
	 * (claim = PRE_ALL, when it starts the batch), so that each chunk is
	 * done by one thread. done: chunks the reader finished (release: their
	 * preoff and arena bytes are written).
	 */
	_Atomic unsigned claim, done;
	uint32_t *preoff;        /* per record: 1 + its result's offset in arena, 0: none */
	unsigned char *arena;    /* PRE_ARENA bytes, allocated when first needed */
	size_t alen;
	bool tried;              /* the reader's: it has worked ahead on this batch */
};

struct bulk {
	struct ii_logsrc *ls;
	pthread_mutex_t mu;
	pthread_cond_t room;     /* the reader waits for free batches */
	pthread_cond_t ready;    /* the caller waits for a filled batch */
	struct batch b[NBATCH];
	uint64_t put, get;       /* batches filled, consumed; never wrap (NBATCH is no power of 2) */
	bool rwait, cwait;       /* the reader, the caller sleeps */
	bool cancel;             /* the caller stopped: the reader ends */
	/* the reader's */
	_Alignas(64) struct batch *cur; /* the batch it fills */
	struct strbuf carry;     /* bytes of a record the last batch cut */
};

/* Room for the next record of b; a kmsg record is parsed right into its place. */
static void next_slot(struct bulk *k, struct batch *b)
{
	if (b->nrecs == b->cap) {
		size_t cap = b->cap;

		xgrow((void **)&b->kmsgs, &cap, b->nrecs + 1, sizeof(*b->kmsgs));
		cap = b->cap;
		if (k->ls->pre)
			xgrow((void **)&b->preoff, &cap, b->nrecs + 1, sizeof(*b->preoff));
		xgrow((void **)&b->recs, &b->cap, b->nrecs + 1, sizeof(*b->recs));
	}
	k->ls->kslot = &b->kmsgs[b->nrecs];
	k->ls->tslot = &b->recs[b->nrecs];
}

/* Runs on the reader: keep the record, whose pointers stay valid in the batch. */
static int collect(void *ctx, const struct ii_logrec *r)
{
	struct bulk *k = ctx;
	struct batch *b = k->cur;

	(void)r; /* NULL: the record or line is in its slot already */
	b->nrecs++;
	next_slot(k, b);
	return 0;
}

/* Read into b until it holds a record, bytes were taken, or the file ends. */
static void fill_batch(struct bulk *k, struct batch *b)
{
	struct ii_logsrc *ls = k->ls;

	b->nrecs = 0;
	b->err = 0;
	b->last = false;
	/* the caller is done with b: the mutex that gave it back orders these after its claim */
	atomic_store_explicit(&b->claim, 0, memory_order_relaxed);
	atomic_store_explicit(&b->done, 0, memory_order_relaxed);
	b->alen = 0;
	b->tried = false;
	k->cur = b;
	next_slot(k, b);
	ls->in = b->buf;
	ls->in.len = ls->done = 0;
	if (k->carry.len) {
		sb_add(&ls->in, k->carry.buf, k->carry.len);
		k->carry.len = 0;
	}
	for (;;) {
		ssize_t n = ii_logsrc_fill(ls);

		/* a read error hands out the whole records read before it, as ii_logsrc_read */
		ii_logsrc_take(ls, collect, k, n == 0);
		if (n <= 0) {
			b->err = n < 0 ? (int)n : 0;
			b->last = true;
			break;
		}
		/*
		 * bytes taken without a record (lines that are not records, the
		 * rest of one cut) end the batch too: else a file of them would
		 * gather in it whole
		 */
		if (b->nrecs || ls->done)
			break;
	}
	sb_add(&k->carry, ls->in.buf + ls->done, ls->in.len - ls->done);
	b->buf = ls->in;
	memset(&ls->in, 0, sizeof(ls->in));
	ls->done = 0;
	ls->kslot = NULL;
	ls->tslot = NULL;
}

/*
 * Runs on the reader, which found the ring full: do ls->pre for the records
 * of b, a batch the caller has not reached, chunk by chunk until the caller
 * claims the rest or the arena is full.
 */
static void work_ahead(struct bulk *k, struct batch *b)
{
	const struct ii_logsrc *ls = k->ls;
	const unsigned need = II_TS_KERNEL | II_TS_ONE_LINE;
	size_t n = b->nrecs, nchunks = (n + PRE_CHUNK - 1) / PRE_CHUNK;

	b->tried = true;
	if (!b->arena)
		b->arena = xmalloc(PRE_ARENA);
	while (PRE_ARENA - b->alen >= PRE_CHUNK * ls->pre_max) {
		unsigned c = atomic_fetch_add_explicit(&b->claim, 1, memory_order_relaxed);
		size_t end;

		if (c >= nchunks)
			return;
		end = (size_t)(c + 1) * PRE_CHUNK < n ? (size_t)(c + 1) * PRE_CHUNK : n;
		for (size_t i = (size_t)c * PRE_CHUNK; i < end; i++) {
			const struct ii_textslot *t = &b->recs[i];

			if ((ii_textslot_flags(t) & need) != need || !ii_textslot_len(t)) {
				b->preoff[i] = 0;
				continue;
			}
			b->preoff[i] = (uint32_t)b->alen + 1;
			b->alen += ls->pre(ii_textslot_text(t), ii_textslot_len(t), b->arena + b->alen);
		}
		atomic_store_explicit(&b->done, c + 1, memory_order_release);
	}
}

/* The newest filled batch the reader has not worked ahead on, or NULL; k->mu held. */
static struct batch *ahead_batch(struct bulk *k)
{
	if (!k->ls->pre || k->ls->fmt != II_LOG_TEXT)
		return NULL;
	for (uint64_t i = k->put; i - k->get > 1; i--) {
		struct batch *b = &k->b[(i - 1) % NBATCH];

		if (!b->tried)
			return b;
	}
	return NULL;
}

static void *reader(void *arg)
{
	struct bulk *k = arg;

	pthread_setname_np(pthread_self(), "iommu-inspect:r"); /* for top -H and perf */
	for (;;) {
		struct batch *b;

		pthread_mutex_lock(&k->mu);
		while (k->put - k->get == NBATCH && !k->cancel) {
			struct batch *a = ahead_batch(k);

			if (a) {
				/* nothing to read: take work off the caller */
				pthread_mutex_unlock(&k->mu);
				work_ahead(k, a);
				pthread_mutex_lock(&k->mu);
				continue;
			}
			k->rwait = true;
			while (k->put - k->get > NBATCH - REFILL && !k->cancel)
				pthread_cond_wait(&k->room, &k->mu);
			k->rwait = false;
		}
		if (k->cancel) {
			pthread_mutex_unlock(&k->mu);
			return NULL;
		}
		b = &k->b[k->put % NBATCH];
		pthread_mutex_unlock(&k->mu);

		fill_batch(k, b);

		ii_nt_fence(); /* the batch's records are in memory before it is handed over */
		pthread_mutex_lock(&k->mu);
		k->put++;
		if (k->cwait)
			pthread_cond_signal(&k->ready);
		pthread_mutex_unlock(&k->mu);
		if (b->last)
			break;
	}
	/* all is read: the batches the caller has not reached are worked on until it does */
	for (;;) {
		struct batch *a;

		pthread_mutex_lock(&k->mu);
		a = k->cancel ? NULL : ahead_batch(k);
		pthread_mutex_unlock(&k->mu);
		if (!a)
			return NULL;
		work_ahead(k, a);
	}
}

/*
 * Runs on the caller: wait for the reader to finish the chunks before the
 * n-th, which it claimed: at most one is under way, PRE_CHUNK records.
 */
static void wait_done(struct batch *b, unsigned n)
{
	for (unsigned spins = 0; atomic_load_explicit(&b->done, memory_order_acquire) < n; spins++) {
		if (spins > 64)
			sched_yield(); /* the reader's core may have been taken from it */
	}
}

/* Runs on the caller: the records of the batches, in order, until the last or fn stops. */
static int consume(struct bulk *k, ii_logrec_fn fn, void *ctx)
{
	bool kmsg = k->ls->fmt == II_LOG_KMSG;

	for (;;) {
		struct batch *b;
		int rc = 0, err;
		bool last;
		unsigned ahead;
		size_t ahead_end;

		pthread_mutex_lock(&k->mu);
		k->cwait = true;
		while (k->put == k->get)
			pthread_cond_wait(&k->ready, &k->mu);
		k->cwait = false;
		b = &k->b[k->get % NBATCH];
		pthread_mutex_unlock(&k->mu);

		/* the chunks the reader claimed are done by it, the rest here */
		ahead = kmsg || !k->ls->pre ? 0 :
			atomic_exchange_explicit(&b->claim, PRE_ALL, memory_order_relaxed);
		ahead_end = (size_t)ahead * PRE_CHUNK;
		for (size_t i = 0, n = b->nrecs; i < n && !rc; i++) {
			struct ii_logrec r;

			if (kmsg) {
				ii_logrec_from_kmsg(&r, &b->kmsgs[i]);
			} else {
				ii_logrec_from_textslot(&r, &b->recs[i]);
				if (i < ahead_end) {
					if (i % PRE_CHUNK == 0)
						wait_done(b, (unsigned)(i / PRE_CHUNK) + 1);
					if (b->preoff[i])
						r.pre = b->arena + b->preoff[i] - 1;
				}
			}
			rc = fn(ctx, &r);
		}
		err = b->err;
		last = b->last;

		pthread_mutex_lock(&k->mu);
		k->get++;
		if (k->rwait && k->put - k->get <= NBATCH - REFILL)
			pthread_cond_signal(&k->room);
		pthread_mutex_unlock(&k->mu);
		if (rc)
			return rc;
		if (last)
			return err;
	}
}

int ii_logsrc_read_all(struct ii_logsrc *ls, ii_logrec_fn fn, void *ctx)
{
	struct bulk k = { .ls = ls };
	sigset_t all, old;
	pthread_t t;
	int rc = 0, started;

	if (!ls->is_file || !ls->regular || ls->st.fd < 0 || ls->in.len)
		return ii_logsrc_read(ls, fn, ctx, true);
	pthread_mutex_init(&k.mu, NULL);
	pthread_cond_init(&k.room, NULL);
	pthread_cond_init(&k.ready, NULL);
	ls->bulk = true;
	/* signals are for the caller's thread, which decides when to stop */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	started = pthread_create(&t, NULL, reader, &k);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (started == 0) {
		rc = consume(&k, fn, ctx);
		pthread_mutex_lock(&k.mu);
		k.cancel = true;
		pthread_cond_signal(&k.room);
		pthread_mutex_unlock(&k.mu);
		pthread_join(t, NULL);
	}
	ls->bulk = false;
	for (unsigned i = 0; i < NBATCH; i++) {
		sb_free(&k.b[i].buf);
		free(k.b[i].recs);
		free(k.b[i].kmsgs);
		free(k.b[i].preoff);
		free(k.b[i].arena);
	}
	sb_free(&k.carry);
	pthread_cond_destroy(&k.room);
	pthread_cond_destroy(&k.ready);
	pthread_mutex_destroy(&k.mu);
	if (started != 0) /* no second thread: all in this one */
		return ii_logsrc_read(ls, fn, ctx, true);
	return rc;
}
