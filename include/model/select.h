/* SPDX-License-Identifier: MIT */
/*
 * Which groups or devices a command shows: its arguments checked before the
 * system is loaded (usage errors), then looked up in the model. Every outcome
 * that is not a plain selection is an issue with a typed reason; the text for
 * each is in one table (render_sel_issue(), src/render/render-select.c).
 * Linear in the arguments after an n log n lookup each: no argument is
 * compared with another.
 */
#ifndef II_SELECT_H
#define II_SELECT_H

#include "model.h"

enum ii_sel_why {
	/* usage: found before loading */
	II_SEL_NOT_GROUP_NUMBER,  /* arg is not a group number */
	II_SEL_NOT_BDF,           /* arg is not a PCI address */
	/* runtime */
	II_SEL_NO_GROUPS,         /* there is no IOMMU group at all (s->groups_err may say why) */
	II_SEL_NO_PCI_DIR,        /* sys/bus/pci/devices is missing (or unreadable: s->pci_err) */
	II_SEL_NO_SUCH_GROUP,     /* group: no group of that number */
	II_SEL_NO_SUCH_DEVICE,    /* bdf: no such device */
	II_SEL_DEVICE_NO_GROUP,   /* --device dev: in no group (dev->nogroup says why) */
	II_SEL_DEVICE_ELSEWHERE,  /* --device dev: in group, which is not among those asked for */
};

struct ii_sel_issue {
	enum ii_sel_why why;
	const char *arg;              /* the argument as given */
	const char *option;           /* "--device", or NULL for an operand */
	char bdf[II_BDF_MAX];         /* the address, normalized (device issues) */
	unsigned group;               /* NO_SUCH_GROUP: asked for; DEVICE_ELSEWHERE: the device's */
	const struct ii_device *dev;  /* DEVICE_NO_GROUP, DEVICE_ELSEWHERE */
};

/* What `groups [ID...] [--class LIST] [--device BDF]` asks for, and what it gets. */
struct ii_group_sel {
	unsigned *ids;                /* the operands, as numbers */
	size_t nids;
	const char *device;           /* --device as given, or NULL */
	char device_bdf[II_BDF_MAX];
	const struct ii_class_filter *cf;
	size_t ncf;

	struct ii_group **groups;     /* selected, in the order asked for (or by number) */
	size_t ngroups;
	struct ii_sel_issue *issues;  /* errors, in the order of the arguments */
	size_t nissues;
	bool no_class_match;          /* the class filter left nothing (not an error) */
};

/* What `devices [BDF...] [--class LIST]` asks for, and what it gets. */
struct ii_device_sel {
	char (*bdfs)[II_BDF_MAX];     /* the operands, normalized */
	const char *const *args;
	size_t nbdfs;
	const struct ii_class_filter *cf;
	size_t ncf;

	struct ii_device **devices;   /* selected, in the order asked for (or by address) */
	size_t ndevices;
	struct ii_sel_issue *issues;
	size_t nissues;
};

/*
 * Check and keep the arguments (before loading): 0, or -1 with *bad the first usage issue
 * (II_SEL_NOT_GROUP_NUMBER, II_SEL_NOT_BDF). The strings must outlive sel.
 */
int ii_group_sel_init(struct ii_group_sel *sel, const char *const *ids, size_t nids,
		      const char *device, const struct ii_class_filter *cf, size_t ncf,
		      struct ii_sel_issue *bad);
int ii_device_sel_init(struct ii_device_sel *sel, const char *const *bdfs, size_t nbdfs,
		       const struct ii_class_filter *cf, size_t ncf, struct ii_sel_issue *bad);
/* Look them up in a loaded system; issues are the runtime errors. */
void ii_select_groups(const struct ii_system *s, struct ii_group_sel *sel);
void ii_select_devices(const struct ii_system *s, struct ii_device_sel *sel);
void ii_group_sel_free(struct ii_group_sel *sel);
void ii_device_sel_free(struct ii_device_sel *sel);

#endif
