// SPDX-License-Identifier: MIT
/* snapshot OUT [--no-kmsg] [--no-debugfs] [--force] [--activity SECS] [--journal-boots N] */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd-common.h"
#include "activity.h"
#include "domains.h"
#include "jrun.h"
#include "snapshot.h"
#include "paths.h"


/* Creation time: SOURCE_DATE_EPOCH when set, for reproducible snapshots. */
static void timestamp(char *buf, size_t size)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t t = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* --activity: the recording, which SIGINT or SIGTERM ends early (the snapshot is still written). */
static volatile sig_atomic_t act_stop;
static void act_signal(int sig)
{
	(void)sig;
	act_stop = 1;
}

static void record_activity(struct ii_system *s, struct ii_snapshot *sn, unsigned secs, bool kmsg,
			    struct ii_act_rec_stats *act)
{
	struct sigaction sa = { .sa_handler = act_signal }, old_int, old_term;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	ii_act_record(s, sn, secs, kmsg, &act_stop, act);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
}

/* The text of iommu-inspect-snapshot.txt, which the writer puts at the top of OUT. */
static char *info_text(const struct ii_ctx *ctx, const struct ii_system *s,
		       const struct ii_snapshot_stats *st, const char *debugfs,
		       const struct ii_act_rec_stats *act, const struct ii_journal_rec_stats *jst)
{
	struct strbuf sb = { 0 };
	char when[32];

	timestamp(when, sizeof(when));
	sb_addf(&sb, "iommu-inspect snapshot\n"
		   "tool: iommu-inspect %s\n"
		   "created: %s\n"
		   "source: %s\n"
		   "uid: %u\n"
		   "kernel: %s\n"
		   "files: %zu\nlinks: %zu\ndirectories: %zu\n"
		   "kernel log: %s\n"
		   "debugfs: %s\n",
		II_VERSION, when, ctx->opt[OPT_ROOT] ? ctx->opt[OPT_ROOT] : "/ (live system)",
		(unsigned)geteuid(), s->kernel_release ? s->kernel_release : "unknown", st->files,
		st->links, st->dirs,
		ctx->opt[OPT_NO_KMSG] ? "left out (--no-kmsg)" : st->streams ? II_PATH_KMSG : "not readable",
		debugfs);
	if (ctx->opt[OPT_ACTIVITY])
		sb_addf(&sb, "activity: %zu readings over %.0f s, %zu kernel log records (%s)\n",
			act->readings, act->seconds, act->kmsg, II_PATH_ACTIVITY);
	if (ctx->opt[OPT_JOURNAL_BOOTS])
		sb_addf(&sb, "journal: %u boots, %llu kernel entries (%s)\n", jst->boots,
			(unsigned long long)jst->entries, II_PATH_JOURNAL_EXPORT);
	sb_addf(&sb, "unreadable: %zu\n", st->unreadable.n);
	for (size_t i = 0; i < st->unreadable.n; i++)
		sb_addf(&sb, "  %s\n", st->unreadable.v[i]);
	sb_adds(&sb, "replay: iommu-inspect --root <this directory or archive> status\n");
	return sb_detach(&sb);
}

int cmd_snapshot(struct ii_ctx *ctx)
{
	const char *out = ctx->argv[0];
	struct ii_snapshot_stats st = { 0 };
	struct ii_snapshot *sn = ii_snapshot_new(ctx->root);
	struct ii_system s;
	const char *debugfs = "left out (--no-debugfs)";
	char *err = NULL, *info = NULL;
	size_t printed;
	int rc = II_EXIT_OK;
	struct ii_act_rec_stats act = { 0 };
	struct ii_journal_rec_stats jst = { 0 };
	long long secs = 0, jboots = 0;

	if (ctx->opt[OPT_ACTIVITY] &&
	    (ii_parse_int(ctx->opt[OPT_ACTIVITY], &secs) || secs < 1 || secs > 86400)) {
		fprintf(stderr, "iommu-inspect: snapshot: --activity '%s' is not a number of seconds "
			"from 1 to 86400\n", ctx->opt[OPT_ACTIVITY]);
		ii_snapshot_free(sn);
		return II_EXIT_USAGE;
	}

	if (ctx->opt[OPT_JOURNAL_BOOTS] &&
	    (ii_parse_int(ctx->opt[OPT_JOURNAL_BOOTS], &jboots) || jboots < 1 || jboots > 1000)) {
		fprintf(stderr, "iommu-inspect: snapshot: --journal-boots '%s' is not a number of boots "
			"from 1 to 1000\n", ctx->opt[OPT_JOURNAL_BOOTS]);
		ii_snapshot_free(sn);
		return II_EXIT_USAGE;
	}

	/* OUT is checked first (see include/core/snapshot.h) */
	if (ii_snapshot_set_out(sn, out, ctx->opt[OPT_FORCE] != NULL, &err) < 0) {
		out_begin(ctx->out);
		out_error(ctx->out, "snapshot: %s", err);
		free(err);
		ii_snapshot_free(sn);
		return ii_cmd_finish(ctx, NULL, II_EXIT_ERROR);
	}

	/*
	 * Record what every command reads: load the whole model once with the recorder on,
	 * debugfs included (every page-table dump walked, the units' registers), so that
	 * the snapshot holds the debugfs files the commands read, or what they look at to
	 * say why debugfs is missing.
	 */
	ctx->load.names_from_sysfs = true; /* replays derive names from the recorded sysfs */
	ii_snapshot_record(sn, true);
	ii_cmd_load(ctx, &s, (II_LOAD_ALL & ~II_LOAD_PCI_IDS) | II_LOAD_HOST |
				     (ctx->opt[OPT_NO_DEBUGFS] ? 0 : II_LOAD_DBG_WALK | II_LOAD_DBG_REGS));
	{
		char id[II_BOOT_ID_LEN + 1];

		/*
		 * Recorded always: a replay knows which boot is its own, so that a journal
		 * brought along later (faults --journal-file) is attributed to the devices.
		 */
		ii_root_boot_id(ctx->root, id);
	}
	ii_snapshot_record(sn, false);
	printed = s.diags.warnings.n;
	if (!ctx->opt[OPT_NO_DEBUGFS]) {
		struct stat dst;

		debugfs = ii_root_stat(ctx->root, II_PATH_DEBUGFS_IOMMU, &dst) == 0
				  ? (ii_dbg_partly_read(&s) ? "partly readable" : "included")
				  : "absent (not mounted, or the kernel lacks CONFIG_IOMMU_DEBUGFS)";
	}
	if (ctx->opt[OPT_ACTIVITY])
		record_activity(&s, sn, (unsigned)secs, !ctx->opt[OPT_NO_KMSG], &act);
	if (jboots) {
		/* the kernel's journal entries of the last boots, exported (not recorded: read whole) */
		struct strbuf exp = { 0 };
		char *why = NULL;

		if (ii_journal_snapshot(ctx->root, (unsigned)jboots, &exp, &jst, &s.diags, &why) == 0)
			ii_snapshot_add_data(sn, II_PATH_JOURNAL_EXPORT, &exp);
		else
			ii_warn(&s.diags, "the journal is left out of the snapshot: %s", why);
		free(why);
		sb_free(&exp);
	}
	if (ctx->opt[OPT_NO_KMSG])
		ii_snapshot_drop_streams(sn);

	out_begin(ctx->out);
	if (ii_snapshot_write(sn, &st, &s.diags, &err) < 0 ||
	    ii_snapshot_finish(sn, (info = info_text(ctx, &s, &st, debugfs, &act, &jst)), &err) < 0) {
		out_error(ctx->out, "snapshot: %s", err ? err : strerror(errno));
		rc = II_EXIT_ERROR;
	} else {
		out_open_obj(ctx->out, "snapshot");
		out_str(ctx->out, "path", "Snapshot written to %s: ", out);
		out_uint(ctx->out, "files", "%llu files, ", st.files);
		out_uint(ctx->out, "links", "%llu links, ", st.links);
		out_uint(ctx->out, "directories", "%llu directories, ", st.dirs);
		out_uint(ctx->out, "bytes", "%llu bytes\n", st.bytes);
		out_bool(ctx->out, "kernel_log", NULL, st.streams > 0);
		out_str(ctx->out, "debugfs", NULL, debugfs);
		out_strlist(ctx->out, "unreadable", st.unreadable.n ? "Not readable: %s\n" : NULL, ", ",
			    &st.unreadable);
		if (ctx->opt[OPT_ACTIVITY]) {
			out_open_obj(ctx->out, "activity");
			out_uint(ctx->out, "readings", "Activity: %llu readings", act.readings);
			out_uint(ctx->out, "seconds", " over %llu s", (unsigned long long)(act.seconds + 0.5));
			out_uint(ctx->out, "kmsg_records", ", %llu kernel log records\n", act.kmsg);
			out_close_obj(ctx->out);
		}
		if (jboots) {
			out_open_obj(ctx->out, "journal");
			out_uint(ctx->out, "boots", "Journal: %llu boots", jst.boots);
			out_uint(ctx->out, "entries", ", %llu kernel entries\n", jst.entries);
			out_close_obj(ctx->out);
		}
		out_close_obj(ctx->out);
		out_text(ctx->out, "Replay it with: iommu-inspect --root %s status\n", out);
	}
	ii_warn_print(&s.diags, printed);
	rc = ii_cmd_finish(ctx, &s, rc);
	free(info);
	free(err);
	sl_free(&st.unreadable);
	ii_snapshot_free(sn);
	ii_system_free(&s);
	return rc;
}
