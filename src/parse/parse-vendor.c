// SPDX-License-Identifier: MIT
/* The names of IOMMU vendors: the JSON key and the name people know. */
#include "parse.h"

static const char *const vendor_keys[] = {
	[II_VENDOR_NONE] = "none",          [II_VENDOR_INTEL] = "intel",
	[II_VENDOR_AMD] = "amd",            [II_VENDOR_ARM_SMMU_V3] = "arm-smmu-v3",
	[II_VENDOR_ARM_SMMU] = "arm-smmu",  [II_VENDOR_VIRTIO] = "virtio-iommu",
	[II_VENDOR_OTHER] = "other",
};
static const char *const vendor_names[] = {
	[II_VENDOR_NONE] = "none",               [II_VENDOR_INTEL] = "Intel VT-d",
	[II_VENDOR_AMD] = "AMD-Vi",              [II_VENDOR_ARM_SMMU_V3] = "Arm SMMUv3",
	[II_VENDOR_ARM_SMMU] = "Arm SMMU",       [II_VENDOR_VIRTIO] = "virtio-iommu",
	[II_VENDOR_OTHER] = "other",
};

const char *ii_vendor_key(enum ii_vendor v)
{
	return (size_t)v < II_ARRAY_SIZE(vendor_keys) ? vendor_keys[v] : "other";
}

const char *ii_vendor_name(enum ii_vendor v)
{
	return (size_t)v < II_ARRAY_SIZE(vendor_names) ? vendor_names[v] : "other";
}
