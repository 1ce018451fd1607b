// SPDX-License-Identifier: MIT
/*
 * What check rests on below the model: the host parsers (mountinfo, routes,
 * keyboards), the record of a device node, the kernel's PCI quirk tables.
 */
#include <errno.h>
#include <stdlib.h>

#include "hostparse.h"
#include "pciquirks.h"
#include "root.h"
#include "test.h"

TEST(check_mountinfo_root_last_mount_wins)
{
	struct ii_mount m;
	const char *text =
		"22 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw\n"
		"23 22 0:21 / /proc rw,nosuid shared:12 - proc proc rw\n"
		"40 1 0:35 / / rw shared:20 - overlay over\\040lay rw,lowerdir=/a\n";

	CHECK_INT(ii_parse_mountinfo_root(text, &m), 0);
	CHECK_INT(m.major, 0);
	CHECK_STR(m.fstype, "overlay");
	CHECK_STR(m.source, "over lay"); /* \040 decoded */
	CHECK_INT(ii_parse_mountinfo_root("22 1 259:2 / / rw - ext4 /dev/nvme0n1p2 rw\n", &m), 0);
	CHECK_INT(m.major, 259);
	CHECK_INT(m.minor, 2);
	CHECK_STR(m.source, "/dev/nvme0n1p2");
	/* optional fields before the separator, several of them */
	CHECK_INT(ii_parse_mountinfo_root("22 1 8:1 / / rw shared:1 master:2 - xfs /dev/sda1 rw\n", &m), 0);
	CHECK_STR(m.fstype, "xfs");
}

TEST(check_mountinfo_root_absent_or_malformed)
{
	struct ii_mount m;

	CHECK_INT(ii_parse_mountinfo_root("", &m), -ENOENT);
	CHECK_INT(ii_parse_mountinfo_root("23 22 0:21 / /proc rw - proc proc rw\n", &m), -ENOENT);
	/* a line that mounts "/" without its separator */
	CHECK_INT(ii_parse_mountinfo_root("22 1 259:2 / / rw ext4 /dev/x rw\n", &m), -EINVAL);
	CHECK_INT(ii_parse_mountinfo_root("22 1 25x:2 / / rw - ext4 /dev/x rw\n", &m), -EINVAL);
}

TEST(check_route_defaults)
{
	struct strlist l = { 0 };
	const char *v4 =
		"Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
		"eth1\t00000000\t0102A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n"
		"eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
		"eth2\t0000A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0\n"
		"eth3\t00000000\t0101A8C0\t0002\t0\t0\t50\t00000000\t0\t0\t0\n" /* not up */
		"garbage\n";

	CHECK_INT(ii_parse_route_defaults(v4, &l), 1);
	CHECK_INT(l.n, 2);
	if (l.n == 2) {
		CHECK_STR(l.v[0], "eth0"); /* the lower metric first */
		CHECK_STR(l.v[1], "eth1");
	}
	sl_free(&l);
}

TEST(check_route6_defaults)
{
	struct strlist l = { 0 };
	const char *v6 =
		"00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
		"fe800000000000000000000000000001 00000400 00000001 00000000 00000003 wlan0\n"
		"00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
		"00000000000000000000000000000000 ffffffff 00000001 00000000 00200200 lo\n"
		"fe800000000000000000000000000000 40 00000000000000000000000000000000 00 "
		"00000000000000000000000000000000 00000100 00000001 00000000 00000001 wlan0\n";

	CHECK_INT(ii_parse_route6_defaults(v6, &l), 0);
	CHECK_INT(l.n, 1);
	if (l.n == 1)
		CHECK_STR(l.v[0], "wlan0");
	sl_free(&l);
}

TEST(check_input_keyboard)
{
	/* EV_KEY (bit 1) and keys 1..31; a power button has EV_KEY and few keys */
	CHECK_INT(ii_parse_input_keyboard("120013", "fffffffe"), 1);
	CHECK_INT(ii_parse_input_keyboard("120013", "1 0 fffffffe"), 1);
	CHECK_INT(ii_parse_input_keyboard("3", "10000000000000 0"), 0);
	CHECK_INT(ii_parse_input_keyboard("1", "fffffffe"), 0); /* no EV_KEY */
	CHECK_INT(ii_parse_input_keyboard("zz", "fffffffe"), -EINVAL);
}

TEST(check_node_record_round_trip)
{
	struct ii_node n = { .type = 'c', .major = 10, .minor = 196, .mode = 0666 }, back;
	char buf[128];

	ii_node_format(&n, buf, sizeof(buf));
	CHECK_STR(buf, "iommu-inspect device node: c 10:196 mode 0666 uid 0 gid 0\n");
	CHECK_INT(ii_node_parse(buf, strlen(buf), &back), 0);
	CHECK_INT(back.major, 10);
	CHECK_INT(back.minor, 196);
	CHECK_INT(back.mode, 0666);
	CHECK(back.recorded);
	ii_node_format(NULL, buf, sizeof(buf));
	CHECK_INT(ii_node_parse(buf, strlen(buf), &back), -ENOENT);
	/* anything else is not a record */
	CHECK_INT(ii_node_parse("hello\n", 6, &back), -EBADMSG);
	CHECK_INT(ii_node_parse("iommu-inspect device node: x 1:2 mode 0600 uid 0 gid 0\n", 55, &back),
		  -EBADMSG);
	CHECK_INT(ii_node_parse("iommu-inspect device node: c 1:2 mode 0600 uid 0 gid 0\nmore", 59, &back),
		  -EBADMSG);
	CHECK_INT(ii_node_parse("iommu-inspect device node: c 1:2 mode 77777 uid 0 gid 0\n", 57, &back),
		  -EBADMSG);
}

TEST(check_quirks_acs)
{
	const struct ii_acs_quirk *q = NULL;
	/* an Intel root complex integrated endpoint: isolated (VT-d 3.16) */
	struct ii_acs_quirk_dev rciep = { .vendor = 0x8086, .device = 0x2024, .pcie = true,
					  .pcie_type = 9, .multifunction = true, .root_bus = true };
	/* I350 functions: never peer to peer (pci_quirk_mf_endpoint_acs) */
	struct ii_acs_quirk_dev i350 = { .vendor = 0x8086, .device = 0x1521, .pcie = true,
					 .pcie_type = 0, .multifunction = true };
	/* QEMU's pci-testdev: no quirk */
	struct ii_acs_quirk_dev qemu = { .vendor = 0x1234, .device = 0x11e8, .pcie = true,
					 .pcie_type = 0, .multifunction = true };

	CHECK_INT(ii_acs_quirk(&rciep, &q), II_AQR_ISOLATES);
	CHECK(q && !strcmp(q->function, "pci_quirk_rciep_acs"));
	CHECK_INT(ii_acs_quirk(&i350, &q), II_AQR_ISOLATES);
	CHECK(q && !strcmp(q->function, "pci_quirk_mf_endpoint_acs"));
	CHECK_INT(ii_acs_quirk(&qemu, &q), II_AQR_NONE);
	CHECK(!q);
	/* an Intel endpoint that is not an RCiEP has no quirk from the RCiEP rule */
	rciep.pcie_type = 0;
	rciep.device = 0x10d3;
	CHECK_INT(ii_acs_quirk(&rciep, &q), II_AQR_NONE);
}

TEST(check_quirks_vfio_drivers)
{
	CHECK_INT(ii_vfio_driver_kind(NULL), II_VDRV_NONE);
	CHECK_INT(ii_vfio_driver_kind("vfio-pci"), II_VDRV_VFIO);
	CHECK_INT(ii_vfio_driver_kind("pci-stub"), II_VDRV_STUB);
	CHECK_INT(ii_vfio_driver_kind("pcieport"), II_VDRV_PORT);
	CHECK_INT(ii_vfio_driver_kind("e1000e"), II_VDRV_HOST);
	CHECK(ii_vfio_driver_blocks(II_VDRV_HOST, false, 6001));
	CHECK(!ii_vfio_driver_blocks(II_VDRV_PORT, true, 6001));
	CHECK(!ii_vfio_driver_blocks(II_VDRV_STUB, false, 6001));
	CHECK(!ii_vfio_driver_blocks(II_VDRV_NONE, false, 6001));
}
