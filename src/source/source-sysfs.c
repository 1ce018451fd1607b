// SPDX-License-Identifier: MIT
/*
 * sysfs: IOMMU groups and IOMMU units (kernel-interfaces §1); the PCI devices are in
 * source-pcidev.c.
 * Mandatory attributes that are missing are warnings; optional ones that are
 * absent (ENOENT) are simply unknown.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "sysfs-attr.h"
#include "paths.h"


const char *ii_src_strerror(int err)
{
	/* the root layer's refusals (include/core/root.h), which strerror() words poorly */
	if (err == -EBADMSG)
		return "unexpected content: a NUL byte, which no attribute holds (a damaged or "
		       "crafted tree)";
	if (err == -ENXIO)
		return "not a regular file but a FIFO, socket or device node";
	return strerror(-err);
}

void ii_src_warn_errno(struct ii_system *s, const struct ii_dir *d, const char *name, int err,
		       const char *what)
{
	char *path = ii_dir_display(d, name);
	const char *hint = err == -EACCES || err == -EPERM ? "; run as root" : "";
	const char *why = ii_src_strerror(err);

	ii_warn(&s->diags, "%s: %s%s%s%s", path, why, what ? ": " : "", what ? what : "", hint);
	free(path);
}

/* Parse a hex attribute read into buf (n: the read's result); warns unless absent and optional. */
bool ii_src_parse_hex(struct ii_system *s, const struct ii_dir *d, const char *name, bool optional,
		      char *buf, ssize_t n, uint64_t *out)
{
	if (n < 0) {
		if (!(optional && n == -ENOENT))
			ii_src_warn_errno(s, d, name, (int)n, "value unknown");
		return false;
	}
	if (ii_parse_hex(buf, out)) {
		char *path = ii_dir_display(d, name);
		ii_warn(&s->diags, "%s: unexpected content \"%.20s\": expected a hex number; "
			"value ignored", path, rtrim(buf));
		free(path);
		return false;
	}
	return true;
}

bool ii_src_read_hex(struct ii_system *s, const struct ii_dir *d, const char *name, bool optional,
		     uint64_t *out)
{
	char buf[64];

	return ii_src_parse_hex(s, d, name, optional, buf, ii_dir_read(d, name, buf, sizeof(buf)), out);
}

bool ii_src_read_int(struct ii_system *s, const struct ii_dir *d, const char *name, bool optional,
		     long long *out)
{
	char buf[64];
	ssize_t n = ii_dir_read(d, name, buf, sizeof(buf));

	if (n < 0) {
		if (!(optional && n == -ENOENT))
			ii_src_warn_errno(s, d, name, (int)n, NULL);
		return false;
	}
	if (ii_parse_int(buf, out)) {
		char *path = ii_dir_display(d, name);
		ii_warn(&s->diags, "%s: unexpected content \"%.20s\": expected a decimal number; "
			"value ignored", path, rtrim(buf));
		free(path);
		return false;
	}
	return true;
}

/* Read a one-line text attribute; NULL when absent (quietly if optional). */
static char *read_line(struct ii_system *s, const struct ii_dir *d, const char *name, bool optional)
{
	char buf[256];
	ssize_t n = ii_dir_read(d, name, buf, sizeof(buf));

	if (n < 0) {
		if (!(optional && n == -ENOENT))
			ii_src_warn_errno(s, d, name, (int)n, NULL);
		return NULL;
	}
	return xstrdup(rtrim(buf));
}

/*
 * Open one of the top directories and list it. Returns 1 when listed, 0 when
 * it does not exist (an absent IOMMU, not an error), or -errno after a warning.
 */
int ii_src_list_top(struct ii_system *s, struct ii_dir *top, const char *rel, struct strlist *names,
		    const char *what)
{
	int err = ii_dir_open(s->root, top, "%s", rel);

	if (err == -ENOENT)
		return 0;
	if (err == 0)
		err = ii_dir_list(top, NULL, names);
	if (err < 0) {
		ii_src_warn_errno(s, top, NULL, err, what);
		return err;
	}
	return 1;
}

/* ------------------------------------------------------------------ groups */

/* A name for a message: control characters as \n or \xHH, cut to fit. */
static const char *quote(const char *name, char *buf, size_t size)
{
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)name; *p && n + 5 < size; p++) {
		if (*p == '\n')
			n += (size_t)snprintf(buf + n, size - n, "\\n");
		else if (*p < 0x20 || *p == 0x7f || *p == '"' || *p == '\\')
			n += (size_t)snprintf(buf + n, size - n, "\\x%02x", *p);
		else
			buf[n++] = (char)*p;
	}
	buf[n] = '\0';
	return buf;
}

static int cmp_group(const void *a, const void *b)
{
	const struct ii_group *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

static void group_free(struct ii_group *g)
{
	free(g->type);
	free(g->resv);
	free(g->name);
	sl_free(&g->members);
}

static void read_resv(struct ii_system *s, const struct ii_dir *gd, struct ii_group *g)
{
	/* a sysfs attribute is at most a page: one read() of a page and one more byte takes it */
	char small[4097], *text = small, *line, *save = NULL;
	size_t len, cap = 0;
	ssize_t n = ii_dir_read(gd, "reserved_regions", small, sizeof(small));
	int err = n < 0 ? (int)n : 0;
	unsigned lineno = 0;

	if (err == -EFBIG) /* a recorded tree's file can be larger */
		err = ii_dir_read_file(gd, "reserved_regions", &text, &len, 1 << 20);
	if (err < 0) {
		if (err != -ENOENT)
			ii_src_warn_errno(s, gd, "reserved_regions", err, NULL);
		return;
	}
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct ii_resv r;

		lineno++;
		if (ii_parse_resv_line(line, &r)) {
			char *path = ii_dir_display(gd, "reserved_regions");
			ii_warn(&s->diags, "%s line %u: unexpected \"%.40s\": expected "
				"\"0x<start> 0x<end> <type>\"; line ignored", path, lineno, line);
			free(path);
			continue;
		}
		xgrow((void **)&g->resv, &cap, g->nresv + 1, sizeof(*g->resv));
		g->resv[g->nresv++] = r;
	}
	if (text != small)
		free(text);
}

/* A group directory that cannot be read is kept: its number is known, its type and members
 * are not. */
static void read_group(struct ii_system *s, const struct ii_dir *top, const char *name,
		       struct ii_group *g)
{
	struct ii_dir gd;
	char buf[64];
	ssize_t n;
	int err = ii_dir_open_at(top, &gd, name);

	if (err < 0) {
		g->err = err;
		ii_src_warn_errno(s, &gd, NULL, err, "its type and members are unknown");
		ii_dir_close(&gd);
		return;
	}
	n = ii_dir_read(&gd, "type", buf, sizeof(buf));
	if (n >= 0) {
		g->type = xstrdup(rtrim(buf));
		g->domtype = ii_parse_domtype(g->type);
		if (g->domtype == II_DOM_UNKNOWN && strcmp(g->type, "unknown") != 0) {
			char *path = ii_dir_display(&gd, "type");
			ii_warn(&s->diags, "%s: unexpected type \"%.20s\"; shown as found", path, g->type);
			free(path);
		}
	} else if (n != -ENOENT) {
		/* kernels before 5.4 have no type attribute: unknown, not an error */
		ii_src_warn_errno(s, &gd, "type", (int)n, "type unknown");
	}
	read_resv(s, &gd, g);
	g->name = read_line(s, &gd, "name", true);
	err = ii_dir_list(&gd, "devices", &g->members);
	if (err < 0) {
		g->members_err = err;
		ii_src_warn_errno(s, &gd, "devices", err, "members unknown");
	}
	ii_dir_close(&gd);
}

void ii_src_groups(struct ii_system *s)
{
	struct ii_dir top;
	struct strlist names = { 0 };
	size_t cap = 0, kept = 0;
	int err = ii_src_list_top(s, &top, II_PATH_IOMMU_GROUPS, &names, NULL);

	if (err <= 0) {
		s->groups_err = err;
		ii_dir_close(&top);
		return;
	}
	s->groups_dir = true;
	for (size_t i = 0; i < names.n; i++) {
		struct ii_group g = { 0 };

		/*
		 * The kernel names a group "%d". Any other spelling ("05", " 6", "8\n") would
		 * read as a number a real group may have: not ours to guess which.
		 */
		if (ii_parse_group_name(names.v[i], &g.id)) {
			char *path = ii_dir_display(&top, NULL), quoted[64];
			ii_warn(&s->diags, "%s: \"%s\" is not an IOMMU group (the kernel names them by a "
				"decimal number without sign, space or leading zero); skipped", path,
				quote(names.v[i], quoted, sizeof(quoted)));
			free(path);
			continue;
		}
		read_group(s, &top, names.v[i], &g);
		xgrow((void **)&s->groups, &cap, s->ngroups + 1, sizeof(*s->groups));
		s->groups[s->ngroups++] = g;
	}
	if (s->ngroups > 1)
		qsort(s->groups, s->ngroups, sizeof(*s->groups), cmp_group);
	/* one directory cannot hold two canonical names of one number; a broken copy might */
	for (size_t i = 0; i < s->ngroups; i++) {
		if (kept && s->groups[kept - 1].id == s->groups[i].id) {
			char *path = ii_dir_display(&top, NULL);
			ii_warn(&s->diags, "%s: IOMMU group %u is listed twice; the second is ignored",
				path, s->groups[i].id);
			free(path);
			group_free(&s->groups[i]);
			continue;
		}
		s->groups[kept++] = s->groups[i];
	}
	s->ngroups = kept;
	sl_free(&names);
	ii_dir_close(&top);
}

/* ------------------------------------------------------------------- units */

static enum ii_vendor unit_vendor(const struct ii_dir *ud, const char *name)
{
	struct stat st;
	struct ii_bdf b;

	if (ii_dir_lstat(ud, "intel-iommu", &st) == 0)
		return II_VENDOR_INTEL;
	if (ii_dir_lstat(ud, "amd-iommu", &st) == 0)
		return II_VENDOR_AMD;
	if (str_starts(name, "dmar"))
		return II_VENDOR_INTEL;
	if (str_starts(name, "ivhd"))
		return II_VENDOR_AMD;
	if (str_starts(name, "smmu3."))
		return II_VENDOR_ARM_SMMU_V3;
	if (str_starts(name, "smmu."))
		return II_VENDOR_ARM_SMMU;
	if (!ii_parse_bdf(name, &b) || str_starts(name, "virtio"))
		return II_VENDOR_VIRTIO;
	return II_VENDOR_OTHER;
}

static void read_intel_unit(struct ii_system *s, const struct ii_dir *ud, struct ii_unit *u)
{
	struct ii_dir d;
	long long v;

	int err = ii_dir_open_at(ud, &d, "intel-iommu");

	if (err < 0) {
		ii_src_warn_errno(s, &d, NULL, err, "Intel unit attributes unknown");
		ii_dir_close(&d);
		return;
	}
	if ((u->version = read_line(s, &d, "version", false)))
		u->valid |= II_UV_VERSION;
	if (ii_src_read_hex(s, &d, "address", false, &u->address))
		u->valid |= II_UV_ADDRESS;
	if (ii_src_read_hex(s, &d, "cap", false, &u->cap))
		u->valid |= II_UV_CAP;
	if (ii_src_read_hex(s, &d, "ecap", false, &u->ecap))
		u->valid |= II_UV_ECAP;
	if (ii_src_read_int(s, &d, "domains_supported", true, &v)) {
		u->domains_supported = v;
		u->valid |= II_UV_DOMAINS;
		if (ii_src_read_int(s, &d, "domains_used", true, &v))
			u->domains_used = v;
		else
			u->domains_used = -1;
	}
	ii_dir_close(&d);
}

static void read_amd_unit(struct ii_system *s, const struct ii_dir *ud, struct ii_unit *u)
{
	struct ii_dir d;
	char buf[128], fn[64];

	ssize_t n;
	int err = ii_dir_open_at(ud, &d, "amd-iommu");

	if (err < 0) {
		ii_src_warn_errno(s, &d, NULL, err, "AMD unit attributes unknown");
		ii_dir_close(&d);
		return;
	}
	if (ii_src_read_hex(s, &d, "cap", false, &u->amd_cap))
		u->valid |= II_UV_AMD_CAP;
	n = ii_dir_read(&d, "features", buf, sizeof(buf));
	if (n >= 0) {
		if (ii_parse_amd_features(rtrim(buf), s->kver, &u->features) == 0) {
			u->valid |= II_UV_FEATURES;
			/* the boot log states EFR and EFR2 unambiguously: trust it over a guess */
			if (s->log.amd_efr_valid && u->features.has_efr2 &&
			    u->features.efr != s->log.amd_efr && u->features.efr2 == s->log.amd_efr &&
			    u->features.efr == s->log.amd_efr2) {
				uint64_t t = u->features.efr;
				u->features.efr = u->features.efr2;
				u->features.efr2 = t;
				u->features.layout = strcmp(u->features.layout, "EFR2:EFR") ? "EFR2:EFR"
											      : "EFR:EFR2";
				u->features.basis = "boot-log";
				u->features.order = "fields ordered as the boot log's Extended features line";
			}
		} else {
			char *path = ii_dir_display(&d, "features");
			ii_warn(&s->diags, "%s: unexpected content \"%.40s\": expected EFR or two hex "
				"numbers joined by ':'; features unknown", path, buf);
			free(path);
		}
	} else {
		ii_src_warn_errno(s, &d, "features", (int)n, "features unknown");
	}
	if (ii_dir_readlink_base(ud, "device", fn, sizeof(fn)) == 0)
		u->pci_function = xstrdup(fn);
	ii_dir_close(&d);
}

/* Arm, virtio and others: the device the unit belongs to ("arm-smmu-v3.0.auto", "virtio0"). */
static void read_other_unit(const struct ii_dir *ud, struct ii_unit *u)
{
	char fn[256];

	if (ii_dir_readlink_base(ud, "device", fn, sizeof(fn)) == 0)
		u->parent = xstrdup(fn);
}

void ii_src_units(struct ii_system *s)
{
	struct ii_dir top;
	struct strlist names = { 0 };
	int err = ii_src_list_top(s, &top, II_PATH_IOMMU_UNITS, &names, NULL);

	if (err <= 0) {
		s->units_err = err;
		ii_dir_close(&top);
		return;
	}
	s->units_dir = true;
	s->units = xcalloc(names.n, sizeof(*s->units));
	for (size_t i = 0; i < names.n; i++) {
		struct ii_unit *u = &s->units[s->nunits];
		struct ii_dir ud;

		memset(u, 0, sizeof(*u));
		err = ii_dir_open_at(&top, &ud, names.v[i]);
		if (err < 0) {
			/* counted, so that no one concludes from the others that there is no unit */
			if (!s->units_unread++)
				s->units_unread_err = err;
			ii_src_warn_errno(s, &ud, NULL, err, "unit skipped");
			ii_dir_close(&ud);
			continue;
		}
		u->name = xstrdup(names.v[i]);
		u->vendor = unit_vendor(&ud, u->name);
		if (u->vendor == II_VENDOR_INTEL)
			read_intel_unit(s, &ud, u);
		else if (u->vendor == II_VENDOR_AMD)
			read_amd_unit(s, &ud, u);
		else
			read_other_unit(&ud, u);
		err = ii_dir_list(&ud, "devices", &u->devices);
		if (err < 0 && err != -ENOENT)
			ii_src_warn_errno(s, &ud, "devices", err, "unit's devices unknown");
		s->nunits++;
		ii_dir_close(&ud);
	}
	sl_free(&names);
	ii_dir_close(&top);
}
