// SPDX-License-Identifier: MIT
/*
 * src/parse/parse-pciids.c: names from a pci.ids text in one pass. What it
 * takes it must read as libpci does (checked entry by entry against libpci on
 * the fixture's database and on the system's, when there is one); what it is
 * not sure of it must refuse, so that libpci reads it.
 */
#include <errno.h>
#include <stdlib.h>
#include <pci/pci.h>

#include "fixture.h"
#include "parse.h"
#include "test.h"

#define W(k) { .key = (k) }

static const char sample[] =
	"# a comment\n"
	"\n"
	"1af4  Red Hat, Inc.\n"
	"\t1005  Virtio RNG\n"
	"8086  Intel Corporation\n"
	"\t100e  82540EM Gigabit Ethernet Controller\n"
	"\t\t8086 001e  PRO/1000 MT Desktop Adapter\n"
	"\t1237  440FX - 82441FX PMC [Natoma] \n" /* one trailing blank is not part of it */
	"  # an indented comment\n"
	"S 8086\n" /* generic subsystems of a vendor: no name */
	"\t0001  Something\n"
	"C 02  Network controller\n"
	"\t00  Ethernet controller\n"
	"\t80  Network controller\n"
	"C 0c  Serial bus controller\n"
	"\t03  USB controller\n"
	"\t\t30  XHCI\n"
	"C ff  Unassigned class\n"
	"X  something for later\n"
	"\tanything at all\n";

static int lookup(const char *text, struct ii_pciids_want *v, size_t nv, struct ii_pciids_want *d,
		  size_t nd, struct ii_pciids_want *c, size_t nc, char **copy)
{
	size_t len = strlen(text);

	*copy = malloc(len + 1);
	memcpy(*copy, text, len + 1);
	return ii_pciids_lookup(*copy, len, v, nv, d, nd, c, nc);
}

TEST(pciids_names)
{
	struct ii_pciids_want v[] = { W(0x1af4), W(0x8086), W(0x9999) };
	struct ii_pciids_want d[] = { W(0x1af41005), W(0x8086100e), W(0x80861237), W(0x80861238) };
	struct ii_pciids_want c[] = { W(0x0200), W(0x0280), W(0x0205), W(0x0c03), W(0x0d00),
				      W(0xff00) };
	char *text;

	CHECK_INT(lookup(sample, v, 3, d, 4, c, 6, &text), 0);
	CHECK_STR(v[0].name, "Red Hat, Inc.");
	CHECK_STR(v[1].name, "Intel Corporation");
	CHECK(v[2].name == NULL);
	CHECK_STR(d[0].name, "Virtio RNG");
	CHECK_STR(d[1].name, "82540EM Gigabit Ethernet Controller");
	CHECK_STR(d[2].name, "440FX - 82441FX PMC [Natoma]");
	CHECK(d[3].name == NULL);
	CHECK_STR(c[0].name, "Ethernet controller");
	CHECK_STR(c[0].base_name, "Network controller");
	CHECK_STR(c[1].name, "Network controller");
	/* a subclass the file lacks: no name, but its base class's */
	CHECK(c[2].name == NULL);
	CHECK_STR(c[2].base_name, "Network controller");
	CHECK_STR(c[3].name, "USB controller");
	CHECK(c[4].name == NULL && c[4].base_name == NULL);
	CHECK(c[5].name == NULL);
	CHECK_STR(c[5].base_name, "Unassigned class");
	free(text);
}

/* Each of these is something libpci rejects, or takes in a way the one pass would not. */
TEST(pciids_refuses)
{
	static const char *const bad[] = {
		"8086  Intel\n1af4  Red Hat\n0001  Earlier\n",        /* vendors out of order */
		"8086  Intel\n8086  Intel again\n",                    /* duplicate */
		"8086  Intel\n\t100e  A\n\t100e  B\n",                 /* duplicate device */
		"8086  Intel\n\t100e  A\n\t0001  Earlier\n",           /* devices out of order */
		"8086  Intel\n\t100e  A\n\t\t8086 0002  X\n\t\t8086 0001  Y\n",
		"808g  Not hex\n",
		"8086Intel\n",                                         /* no blank after the id */
		"8086  \n",                                            /* no name */
		"8086  Intel\n\t\t8086 0001  Subsystem of no device\n",
		"8086  Intel\n\t100e  A\n\t\t\t00  Too deep\n",
		"\t100e  Device of no vendor\n",
		"    8086  Indented with spaces\n",
		"8086  Intel\r\n",
		"S 1234\n",                                            /* generic: no such vendor */
		"C 0g  Bad class\n",
		"C 02  Net\n\t00  Eth\n\t00  Eth again\n",
		"C 02  Net\n\t\t00  Prog-if of no subclass\n",
	};
	struct ii_pciids_want v[] = { W(0x8086) };
	char *text;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (lookup(bad[i], v, 1, NULL, 0, NULL, 0, &text) != -EINVAL)
			t_fail(__FILE__, __LINE__, "accepted: %s", bad[i]);
		CHECK(v[0].name == NULL);
		free(text);
	}
	/* a line libpci's buffer cannot hold; and a NUL inside */
	{
		char *t = malloc(1100);
		memcpy(t, "8086  ", 6);
		memset(t + 6, 'x', 1050);
		memcpy(t + 1056, "\n", 2);
		CHECK_INT(lookup(t, v, 1, NULL, 0, NULL, 0, &text), -EINVAL);
		free(text);
		memcpy(t, "8086  In\0tel\n", 14);
		CHECK_INT(ii_pciids_lookup(t, 13, v, 1, NULL, 0, NULL, 0), -EINVAL);
		free(t);
	}
	/* the last line needs no newline */
	CHECK_INT(lookup("8086  Intel", v, 1, NULL, 0, NULL, 0, &text), 0);
	CHECK_STR(v[0].name, "Intel");
	free(text);
}

/* ------------------------------------------------- the same answers as libpci */

/* The keys of every vendor and device line of a pci.ids text (not a parser: just the ids). */
static size_t device_keys(const char *text, struct ii_pciids_want *out, size_t max)
{
	unsigned vendor = 0x10000;
	size_t n = 0;

	for (const char *p = text; *p && n < max;) {
		unsigned a;

		if (sscanf(p, "%4x  ", &a) == 1 && p[4] == ' ')
			vendor = a;
		else if (p[0] == 'C' && p[1] == ' ')
			vendor = 0x10000;
		else if (p[0] == '\t' && p[1] != '\t' && vendor < 0x10000 && sscanf(p + 1, "%4x", &a) == 1)
			out[n++].key = vendor << 16 | a;
		p = strchr(p, '\n');
		p = p ? p + 1 : "";
	}
	return n;
}

static void compare_with_libpci(const char *path)
{
	struct pci_access *a;
	struct ii_pciids_want *v = calloc(65536, sizeof(*v)), *c = calloc(65536, sizeof(*c));
	struct ii_pciids_want *d = calloc(200000, sizeof(*d));
	size_t len, nd, mismatches = 0;
	char *text = NULL, buf[256];
	int flags = PCI_LOOKUP_NO_NUMBERS | PCI_LOOKUP_NO_HWDB;
	FILE *f = fopen(path, "rb");

	if (f) {
		text = malloc(32 << 20);
		len = fread(text, 1, (32 << 20) - 1, f);
		text[len] = '\0';
		fclose(f);
	}
	if (!text || !v || !c || !d) {
		t_fail(__FILE__, __LINE__, "%s: cannot be read", path);
		goto out;
	}
	for (unsigned i = 0; i < 65536; i++)
		v[i].key = c[i].key = i;
	nd = device_keys(text, d, 200000);
	CHECK(nd > 0);
	CHECK_INT(ii_pciids_lookup(text, len, v, 65536, d, nd, c, 65536), 0);
	a = pci_alloc();
	a->id_lookup_mode = 0; /* no ~/.pciids-cache */
	pci_set_name_list_path(a, (char *)path, 0);
	pci_init(a);
	for (unsigned i = 0; i < 65536; i++) {
		const char *want = pci_lookup_name(a, buf, sizeof(buf), flags | PCI_LOOKUP_VENDOR, i);
		mismatches += !!want != !!v[i].name || (want && strcmp(want, v[i].name));
	}
	for (size_t i = 0; i < nd; i++) {
		const char *want = pci_lookup_name(a, buf, sizeof(buf), flags | PCI_LOOKUP_DEVICE,
						   d[i].key >> 16, d[i].key & 0xffff);
		mismatches += !!want != !!d[i].name || (want && strcmp(want, d[i].name));
	}
	for (unsigned i = 0; i < 65536; i++) {
		const char *want = pci_lookup_name(a, buf, sizeof(buf), flags | PCI_LOOKUP_CLASS, i);
		char got[300];

		if (c[i].name)
			snprintf(got, sizeof(got), "%s", c[i].name);
		else if (c[i].base_name)
			snprintf(got, sizeof(got), "%s [%04x]", c[i].base_name, i);
		mismatches += !!want != (c[i].name || c[i].base_name) ||
			      (want && strcmp(want, got));
	}
	pci_cleanup(a);
	if (mismatches)
		t_fail(__FILE__, __LINE__, "%s: %zu names differ from libpci's", path, mismatches);
out:
	free(text);
	free(v);
	free(c);
	free(d);
}

TEST(pciids_as_libpci_fixture)
{
	char path[4096];

	if (fx_path("pci.ids", path, sizeof(path)))
		compare_with_libpci(path);
	else
		t_fail(__FILE__, __LINE__, "no fixtures/ directory found");
}

TEST(pciids_as_libpci_system)
{
	static const char *const paths[] = { "/usr/share/misc/pci.ids", "/usr/share/hwdata/pci.ids" };

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		FILE *f = fopen(paths[i], "rb");
		if (f) {
			fclose(f);
			compare_with_libpci(paths[i]);
			return;
		}
	}
	printf("#   skipped: no pci.ids on this system\n");
}
