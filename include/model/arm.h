/* SPDX-License-Identifier: MIT */
/*
 * Arm SMMUs and virtio-iommu in the model: the ID chains of s->idmap
 * (requester ID -> stream ID -> ITS device ID) from the IORT, the VIOT or the
 * device tree (src/model/model-iort.c, model-dt.c), and the lookups faults,
 * iommus, status and acpi make in them.
 */
#ifndef II_ARM_H
#define II_ARM_H

#include "system.h"

/* Build s->idmap (and the IORT/VIOT covers) from what was loaded: IORT, else VIOT, else DT. */
void ii_arm_link(struct ii_system *s);
/* The device tree part of ii_arm_link (src/model/model-dt.c). */
void ii_dt_link(struct ii_system *s);
/* The stream ID and unit the device tree's iommu-map gives requester ID rid of PCI domain domain. */
bool ii_dt_sid_of_rid(const struct ii_system *s, uint32_t domain, uint32_t rid, uint32_t *sid,
		      const struct ii_unit **unit);
void ii_idmap_free(struct ii_idmap *m);
/* Free s->idmap and s->arm_units. */
void ii_arm_free(struct ii_system *s);

/* An Arm SMMU unit's register base, from its name ("smmu3.0x0000000009050000"). */
bool ii_unit_base(const struct ii_unit *u, uint64_t *base);
/* The registered unit of vendor v with that base, or NULL. */
const struct ii_unit *ii_unit_at_base(const struct ii_system *s, enum ii_vendor v, uint64_t base);
/* The unit whose "device" link names parent ("arm-smmu-v3.0.auto"), or NULL. */
const struct ii_unit *ii_unit_by_parent(const struct ii_system *s, const char *parent);

/*
 * The entry with stream ID sid on unit u (NULL: on any unit, when only one
 * SMMU has that stream ID); NULL when there is none. A PCI device is preferred
 * to a platform device with the same ID.
 */
const struct ii_idmap_entry *ii_idmap_by_sid(const struct ii_system *s, const struct ii_unit *u,
					     uint32_t sid);
/*
 * A stream ID that no device's own requester ID gives on unit u (NULL: any):
 * the DMA alias of a bridge that takes ownership of the transactions of its
 * secondary bus (PCIe-to-PCI, PCI-X: requester ID secondary bus, devfn 0), when
 * no device has that requester ID and the IORT or the device tree maps it to
 * sid. Returns the
 * bridge, with the alias requester ID in *alias; NULL when there is none.
 */
const struct ii_device *ii_idmap_alias_by_sid(const struct ii_system *s, const struct ii_unit *u,
					      uint32_t sid, struct ii_bdf *alias);
/* The entry of device d, or NULL. */
const struct ii_idmap_entry *ii_idmap_by_dev(const struct ii_system *s, const struct ii_device *d);

#endif
