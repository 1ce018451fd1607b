// SPDX-License-Identifier: MIT
/* src/parse/parse-fault.c: the virtio-iommu driver's fault lines (viommu_fault_handler). */
#include <string.h>

#include "fault.h"
#include "test.h"

static struct ii_fline fl;

static enum ii_fline_kind parse(const char *line)
{
	ii_fault_parse_line(line, strlen(line), &fl);
	return fl.kind;
}

TEST(fault_virtio_page)
{
	/* the form of drivers/iommu/virtio-iommu.c since 4.20: the device's IOVA, not a page */
	CHECK_INT(parse("virtio_iommu virtio0: page fault from EP 40 at 0x2345678 [R]"), II_FL_FAULT);
	CHECK_INT(fl.f.vendor, II_VENDOR_VIRTIO);
	CHECK_INT(fl.f.kind, II_FK_DMA);
	CHECK(!fl.f.has_bdf);
	CHECK(fl.f.has_sid);
	CHECK_INT(fl.f.sid, 40);
	CHECK(fl.f.has_addr);
	CHECK_U64(fl.f.addr, 0x2345678);
	CHECK_INT(fl.f.access, II_ACC_READ);
	CHECK(fl.f.has_reason);
	CHECK_INT(fl.f.reason_code, 2);
	CHECK_STR(fl.f.reason, "no mapping for the address, or the access is not allowed");
	CHECK_STR(fl.f.unit, "virtio0");
	CHECK(fl.f.complete);

	CHECK_INT(parse("virtio_iommu virtio1: page fault from EP 1792 at 0x100000 [W]"), II_FL_FAULT);
	CHECK_INT(fl.f.access, II_ACC_WRITE);
	CHECK_INT(fl.f.sid, 1792);
	CHECK_STR(fl.f.unit, "virtio1");
	CHECK_INT(parse("virtio_iommu virtio0: page fault from EP 8 at 0xffffffffffff0000 [RWX]"),
		  II_FL_FAULT);
	CHECK_INT(fl.f.access, II_ACC_READ | II_ACC_WRITE | II_ACC_EXEC);
	CHECK_U64(fl.f.addr, 0xffffffffffff0000ull);
	/* no flag set: the brackets are empty, the access unknown */
	CHECK_INT(parse("virtio_iommu virtio0: page fault from EP 8 at 0x1000 []"), II_FL_FAULT);
	CHECK_INT(fl.f.access, 0);
}

TEST(fault_virtio_no_address)
{
	/* without VIRTIO_IOMMU_FAULT_F_ADDRESS: no address, no access */
	CHECK_INT(parse("virtio_iommu virtio0: domain fault from EP 16"), II_FL_FAULT);
	CHECK_INT(fl.f.reason_code, 1);
	CHECK_STR(fl.f.reason, "the endpoint is attached to no domain");
	CHECK(!fl.f.has_addr);
	CHECK_INT(fl.f.access, 0);
	CHECK_INT(parse("virtio_iommu virtio0: unknown fault from EP 3 at 0x0 [R]"), II_FL_FAULT);
	CHECK_INT(fl.f.reason_code, 0);
	CHECK_STR(fl.f.reason, "unknown");
	/* "%#llx" prints address 0 as "0", without "0x" */
	CHECK_INT(parse("virtio_iommu virtio0: page fault from EP 8 at 0 [W]"), II_FL_FAULT);
	CHECK(fl.f.has_addr);
	CHECK_U64(fl.f.addr, 0);
	CHECK_INT(fl.f.access, II_ACC_WRITE);
	CHECK_INT(parse("virtio_iommu virtio0: page fault from EP 8 at 1000 [W]"), II_FL_UNPARSED);
	/* the vSVA series' form, with the PASID (not in mainline) */
	CHECK_INT(parse("virtio_iommu virtio0: page fault from EP 8 PASID 3 at 0x7f0000 [R]"),
		  II_FL_FAULT);
	CHECK(fl.f.has_pasid);
	CHECK_INT(fl.f.pasid, 3);
	CHECK_U64(fl.f.addr, 0x7f0000);
	CHECK_INT(parse("virtio_iommu virtio0: page fault from EP 8 PASID x at 0x7f0000 [R]"),
		  II_FL_UNPARSED);
	/* a log without the device prefix (a paste) */
	CHECK_INT(parse("page fault from EP 40 at 0x1000 [R]"), II_FL_FAULT);
	CHECK_STR(fl.f.unit, "");
	CHECK_INT(fl.f.sid, 40);
}

TEST(fault_virtio_unparsed_and_noise)
{
	/* the start of the form with a rest that is not: shown as unparsed, never a fault */
	CHECK_INT(parse("virtio_iommu virtio0: page fault from EP forty at 0x1000 [R]"), II_FL_UNPARSED);
	CHECK_INT(fl.f.vendor, II_VENDOR_VIRTIO);
	CHECK_INT(parse("virtio_iommu virtio0: page fault from EP 40 at 0x1000 [R] trailing"),
		  II_FL_UNPARSED);
	CHECK_INT(parse("virtio_iommu virtio0: page fault from EP 40 at 0x [R]"), II_FL_UNPARSED);
	CHECK_INT(parse("virtio_iommu virtio0: page fault from EP 40 at 0x1000 [Q]"), II_FL_UNPARSED);
	CHECK_INT(parse("virtio_iommu virtio0: page fault from EP 99999999999 at 0x1000 [R]"),
		  II_FL_UNPARSED);
	CHECK_INT(parse("virtio_iommu virtio0: page fault from EP 40 at 0x1000"), II_FL_UNPARSED);
	/* behind something unknown: found from a later word */
	CHECK_INT(parse("guest42| virtio_iommu virtio0: page fault from EP 40 at 0x1000 [R]"),
		  II_FL_FAULT);
	/* what the driver prints at probe, and other virtio lines: not faults */
	CHECK_INT(parse("virtio_iommu virtio0: input address: 64 bits"), II_FL_NONE);
	CHECK_INT(parse("virtio_iommu virtio0: page mask: 0xfffffffffffff000"), II_FL_NONE);
	CHECK_INT(parse("virtio_iommu virtio0: invalid event buffer (len 40 != 24)"), II_FL_NONE);
	CHECK_INT(parse("virtio_net virtio1 enp3s0: renamed from eth0"), II_FL_NONE);
	/* its ratelimit */
	CHECK_INT(parse("viommu_fault_handler: 7 callbacks suppressed"), II_FL_SUPPRESSED);
	CHECK_INT(fl.f.vendor, II_VENDOR_VIRTIO);
	CHECK_U64(fl.value, 7);
	CHECK_STR(fl.function, "viommu_fault_handler");
}
