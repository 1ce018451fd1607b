// SPDX-License-Identifier: MIT
/* snapshot OUT [--no-kmsg] [--no-debugfs] [--force] */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd-common.h"
#include "domains.h"
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

/* The text of iommu-inspect-snapshot.txt, which the writer puts at the top of OUT. */
static char *info_text(const struct ii_ctx *ctx, const struct ii_system *s,
		       const struct ii_snapshot_stats *st, const char *debugfs)
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

	/* OUT is checked first (see include/core/snapshot.h) */
	if (ii_snapshot_set_out(sn, out, ctx->opt[OPT_FORCE] != NULL, &err) < 0) {
		out_begin(ctx->out);
		out_error(ctx->out, "snapshot: %s", err);
		free(err);
		ii_snapshot_free(sn);
		return ii_cmd_finish(ctx, NULL, II_EXIT_ERROR);
	}

	/* Record what every command reads: load the whole model once with the recorder on. */
	ctx->load.names_from_sysfs = true; /* replays derive names from the recorded sysfs */
	ii_snapshot_record(sn, true);
	ii_cmd_load(ctx, &s, II_LOAD_ALL & ~II_LOAD_PCI_IDS);
	ii_snapshot_record(sn, false);
	printed = s.diags.warnings.n;
	if (!ctx->opt[OPT_NO_DEBUGFS]) {
		size_t before = s.diags.warnings.n;
		struct ii_dbgfs fs;
		struct stat dst;

		/* what domains/mappings look at to say why debugfs is missing, if it is */
		ii_snapshot_record(sn, true);
		ii_src_debugfs_probe(&s, ii_system_vendor(&s), &fs);
		ii_snapshot_record(sn, false);
		ii_dbgfs_free(&fs);
		ii_snapshot_add_tree(sn, II_PATH_DEBUGFS_IOMMU, &s.diags);
		debugfs = ii_root_stat(ctx->root, II_PATH_DEBUGFS_IOMMU, &dst) == 0
				  ? (s.diags.warnings.n == before ? "included" : "partly readable")
				  : "absent (not mounted, or the kernel lacks CONFIG_IOMMU_DEBUGFS)";
	}
	if (ctx->opt[OPT_NO_KMSG])
		ii_snapshot_drop_streams(sn);

	out_begin(ctx->out);
	if (ii_snapshot_write(sn, &st, &s.diags, &err) < 0 ||
	    ii_snapshot_finish(sn, (info = info_text(ctx, &s, &st, debugfs)), &err) < 0) {
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
