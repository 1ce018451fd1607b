// SPDX-License-Identifier: MIT
/* src/parse-acpi.c: the common ACPI table header (kernel-interfaces §8). */
#include <errno.h>
#include <stdlib.h>

#include "fixture.h"
#include "parse.h"
#include "test.h"

#define DMAR_Q35 "intel-q35/sys/firmware/acpi/tables/DMAR"

static uint8_t *dmar(size_t *len)
{
	uint8_t *buf = (uint8_t *)fx_read(DMAR_Q35, len);

	if (!buf)
		t_fail(__FILE__, __LINE__, "cannot read fixtures/" DMAR_Q35);
	return buf;
}

/* The fields of fixtures/intel-q35's DMAR, as ACPI: DMAR 0x...E4 0000A8 (v01 BOCHS BXPC 00000001 BXPC 00000001) */
static void check_q35_fields(const struct ii_acpi_header *h)
{
	CHECK_STR(h->signature, "DMAR");
	CHECK_INT(h->length, 168);
	CHECK_INT(h->revision, 1);
	CHECK_INT(h->checksum, 0x05);
	CHECK_STR(h->oem_id, "BOCHS");
	CHECK_STR(h->oem_table_id, "BXPC");
	CHECK_INT(h->oem_revision, 1);
	CHECK_STR(h->creator_id, "BXPC");
	CHECK_INT(h->creator_revision, 1);
}

TEST(acpi_real_dmar)
{
	struct ii_acpi_header h;
	size_t len;
	uint8_t *buf = dmar(&len);

	if (!buf)
		return;
	CHECK_INT(len, 168);
	CHECK_INT(ii_parse_acpi_header(buf, len, &h), 0);
	check_q35_fields(&h);
	CHECK(h.checksum_ok);
	/* bytes after the table do not count */
	{
		uint8_t *big = calloc(1, len + 64);

		memcpy(big, buf, len);
		memset(big + len, 0x77, 64);
		CHECK_INT(ii_parse_acpi_header(big, len + 64, &h), 0);
		CHECK_INT(h.length, 168);
		CHECK(h.checksum_ok);
		free(big);
	}
	free(buf);
}

TEST(acpi_flipped_byte)
{
	struct ii_acpi_header h;
	size_t len;
	uint8_t *buf = dmar(&len);

	if (!buf)
		return;
	/* a flipped bit in the body, in the last byte, or in the checksum itself */
	static const size_t where[] = { 100, 167, 9, 36, 0x30 };
	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		buf[where[i]] ^= 0x10;
		CHECK_INT(ii_parse_acpi_header(buf, len, &h), 0);
		if (h.checksum_ok)
			t_fail(__FILE__, __LINE__, "byte %zu flipped: checksum still ok", where[i]);
		CHECK_INT(h.length, 168);
		CHECK_STR(h.signature, "DMAR");
		buf[where[i]] ^= 0x10;
	}
	/* two changes that cancel out are not detectable */
	buf[100] = (uint8_t)(buf[100] + 1);
	buf[101] = (uint8_t)(buf[101] - 1);
	CHECK_INT(ii_parse_acpi_header(buf, len, &h), 0);
	CHECK(h.checksum_ok);
	free(buf);
}

TEST(acpi_truncated_copy)
{
	struct ii_acpi_header h;
	size_t len;
	uint8_t *buf = dmar(&len);

	if (!buf)
		return;
	/* the header is intact, the table is not */
	CHECK_INT(ii_parse_acpi_header(buf, 100, &h), 0);
	check_q35_fields(&h);
	CHECK(!h.checksum_ok);
	CHECK_INT(ii_parse_acpi_header(buf, 167, &h), 0);
	CHECK(!h.checksum_ok);
	CHECK_INT(ii_parse_acpi_header(buf, 36, &h), 0);
	check_q35_fields(&h);
	CHECK(!h.checksum_ok);
	/* shorter than a header */
	memset(&h, 0x5a, sizeof(h));
	CHECK_INT(ii_parse_acpi_header(buf, 35, &h), -EINVAL);
	CHECK_STR(h.signature, "");
	CHECK_INT(h.length, 0);
	CHECK(!h.checksum_ok);
	CHECK_INT(ii_parse_acpi_header(buf, 0, &h), -EINVAL);
	free(buf);
}

static void le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void fix_checksum(uint8_t *t, size_t n)
{
	uint8_t sum = 0;

	t[9] = 0;
	for (size_t i = 0; i < n; i++)
		sum = (uint8_t)(sum + t[i]);
	t[9] = (uint8_t)(0x100 - sum);
}

TEST(acpi_synthetic_ivrs)
{
	uint8_t t[48] = { 0 };
	struct ii_acpi_header h;

	memcpy(t, "IVRS", 4);
	le32(t + 4, sizeof(t));
	t[8] = 2;
	memcpy(t + 10, "AMD\0\0\0", 6);       /* NUL-padded */
	memcpy(t + 16, "AmdTable", 8);        /* all 8 characters used */
	le32(t + 24, 0x12345678);
	memcpy(t + 28, "AMD ", 4);            /* space-padded */
	le32(t + 32, 0xfedcba98);
	fix_checksum(t, sizeof(t));
	CHECK_INT(ii_parse_acpi_header(t, sizeof(t), &h), 0);
	CHECK_STR(h.signature, "IVRS");
	CHECK_INT(h.length, 48);
	CHECK_INT(h.revision, 2);
	CHECK_STR(h.oem_id, "AMD");
	CHECK_STR(h.oem_table_id, "AmdTable");
	CHECK_U64(h.oem_revision, 0x12345678);
	CHECK_STR(h.creator_id, "AMD");
	CHECK_U64(h.creator_revision, 0xfedcba98);
	CHECK(h.checksum_ok);

	/* unprintable bytes in ids are shown as '?' */
	t[10] = 0x01;
	t[11] = 0xff;
	t[28] = '\t';
	fix_checksum(t, sizeof(t));
	CHECK_INT(ii_parse_acpi_header(t, sizeof(t), &h), 0);
	CHECK_STR(h.oem_id, "??D");
	CHECK_STR(h.creator_id, "?MD");
	CHECK(h.checksum_ok);

	/* a length that claims more than there is */
	le32(t + 4, 4096);
	fix_checksum(t, sizeof(t));
	CHECK_INT(ii_parse_acpi_header(t, sizeof(t), &h), 0);
	CHECK_INT(h.length, 4096);
	CHECK(!h.checksum_ok);
}
