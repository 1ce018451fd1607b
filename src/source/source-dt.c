// SPDX-License-Identifier: MIT
/*
 * The device tree's IOMMU properties under sys/firmware/devicetree/base (a
 * machine booted without ACPI): every node is visited (depth and count
 * bounded), and of each only the properties that say how IDs reach an IOMMU
 * or an MSI controller are read: iommu-map(-mask), msi-map(-mask), iommus,
 * msi-parent, and, for the nodes they point to, phandle, reg, #iommu-cells,
 * compatible. What is read is what `snapshot` records. Decides nothing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "source.h"
#include "dt.h"
#include "paths.h"

#define DT_MAX_NODES 4096
#define DT_MAX_DEPTH 8
#define DT_PROP_MAX 16384

struct walk {
	struct ii_system *s;
	struct ii_dt *dt;
	size_t cap;
};

static bool exists(const struct ii_dir *d, const char *name)
{
	struct stat st;

	return ii_dir_lstat(d, name, &st) == 0;
}

/* A property's bytes (at most DT_PROP_MAX): its length, or -errno (warned). */
static ssize_t prop(struct walk *w, const struct ii_dir *d, const char *name, uint8_t **out)
{
	ssize_t n;

	*out = xmalloc(DT_PROP_MAX);
	n = ii_dir_read_bin(d, name, *out, DT_PROP_MAX);
	if (n < 0) {
		ii_src_warn_errno(w->s, d, name, (int)n, "device-tree property unknown");
		free(*out);
		*out = NULL;
	}
	return n;
}

static bool u32_prop(struct walk *w, const struct ii_dir *d, const char *name, uint32_t *v)
{
	uint8_t *b;
	ssize_t n;

	if (!exists(d, name))
		return false;
	n = prop(w, d, name, &b);
	if (n < 4) {
		free(b);
		return false;
	}
	*v = ii_be32(b);
	free(b);
	return true;
}

static void map_prop(struct walk *w, const struct ii_dir *d, const char *name, struct ii_dt_map **m,
		     size_t *n)
{
	const char *why;
	uint8_t *b;
	ssize_t len;

	if (!exists(d, name))
		return;
	len = prop(w, d, name, &b);
	if (len < 0)
		return;
	*n = ii_dt_parse_map(b, (size_t)len, m, &why);
	if (why) {
		char *path = ii_dir_display(d, name);
		ii_warn(&w->s->diags, "%s: %zd bytes: %s", path, len, why);
		free(path);
	}
	free(b);
}

static void read_node(struct walk *w, const struct ii_dir *d, const struct ii_dir *parent,
		      const char *path, const char *name)
{
	struct ii_dt_node nd = { 0 };
	bool keep = false;
	char buf[256];
	ssize_t n;

	nd.iommu_map_mask = nd.msi_map_mask = 0xffffffffu;
	n = exists(d, "device_type") ? ii_dir_read_bin(d, "device_type", buf, sizeof(buf) - 1) : -1;
	if (n > 0) {
		buf[n] = '\0';
		nd.is_pci = !strcmp(buf, "pci") || !strcmp(buf, "pciex");
	}
	nd.has_iommu_cells = u32_prop(w, d, "#iommu-cells", &nd.iommu_cells);
	/* an empty property: read, not only looked at, so that snapshot records it */
	nd.msi_controller = exists(d, "msi-controller") &&
			    ii_dir_read_bin(d, "msi-controller", buf, sizeof(buf) - 1) >= 0;
	map_prop(w, d, "iommu-map", &nd.iommu_map, &nd.n_iommu_map);
	map_prop(w, d, "msi-map", &nd.msi_map, &nd.n_msi_map);
	u32_prop(w, d, "iommu-map-mask", &nd.iommu_map_mask);
	u32_prop(w, d, "msi-map-mask", &nd.msi_map_mask);
	nd.has_msi_parent = u32_prop(w, d, "msi-parent", &nd.msi_parent);
	if (exists(d, "iommus")) {
		uint8_t *b;
		ssize_t len = prop(w, d, "iommus", &b);
		const char *why;

		/* cells: most IOMMUs have one; the model checks the IOMMU's #iommu-cells */
		if (len >= 0) {
			nd.n_iommus = ii_dt_parse_iommus(b, (size_t)len, 1, &nd.iommus, &why);
			free(b);
		}
	}
	keep = nd.is_pci || nd.has_iommu_cells || nd.msi_controller || nd.n_iommu_map ||
	       nd.n_msi_map || nd.n_iommus;
	if (!keep) {
		free(nd.iommu_map);
		free(nd.msi_map);
		free(nd.iommus);
		return;
	}
	nd.path = xstrdup(path);
	nd.name = xstrdup(name);
	nd.has_phandle = u32_prop(w, d, "phandle", &nd.phandle);
	if (nd.is_pci)
		nd.has_domain = u32_prop(w, d, "linux,pci-domain", &nd.pci_domain);
	n = exists(d, "compatible") ? ii_dir_read_bin(d, "compatible", buf, sizeof(buf) - 1) : -1;
	if (n > 0) {
		buf[n] = '\0';
		nd.compatible = xstrdup(buf);
	}
	if (exists(d, "reg")) {
		uint32_t cells = 2;
		uint8_t *b;
		ssize_t len;

		if (parent)
			u32_prop(w, parent, "#address-cells", &cells);
		len = prop(w, d, "reg", &b);
		if (len > 0)
			nd.has_reg = ii_dt_parse_reg(b, (size_t)len, cells, &nd.reg);
		free(b);
	}
	xgrow((void **)&w->dt->nodes, &w->cap, w->dt->n + 1, sizeof(*w->dt->nodes));
	w->dt->nodes[w->dt->n++] = nd;
}

static void walk(struct walk *w, const struct ii_dir *d, const struct ii_dir *parent,
		 const char *path, const char *name, int depth)
{
	struct strlist kids = { 0 };

	if (w->dt->n >= DT_MAX_NODES)
		return;
	read_node(w, d, parent, path, name);
	if (depth >= DT_MAX_DEPTH || ii_dir_list_dirs(d, &kids) < 0)
		return;
	for (size_t i = 0; i < kids.n; i++) {
		struct ii_dir k;
		char *kpath;

		if (ii_dir_open_at(d, &k, kids.v[i]) < 0) {
			ii_dir_close(&k);
			continue;
		}
		kpath = xasprintf("%s/%s", depth ? path : "", kids.v[i]);
		walk(w, &k, d, kpath, kids.v[i], depth + 1);
		free(kpath);
		ii_dir_close(&k);
	}
	sl_free(&kids);
}

void ii_src_dt(struct ii_system *s)
{
	struct walk w = { s, NULL, 0 };
	struct ii_dir top;
	int err = ii_dir_open(s->root, &top, "%s", II_PATH_DEVICETREE);

	if (err < 0) {
		ii_dir_close(&top);
		return;
	}
	s->dt = xcalloc(1, sizeof(*s->dt));
	s->dt->present = true;
	w.dt = s->dt;
	walk(&w, &top, NULL, "/", "", 0);
	ii_dir_close(&top);
}

void ii_src_dt_free(struct ii_system *s)
{
	if (!s->dt)
		return;
	ii_dt_free(s->dt);
	free(s->dt);
	s->dt = NULL;
}
